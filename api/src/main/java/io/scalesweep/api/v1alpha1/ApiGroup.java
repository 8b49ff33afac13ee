package io.scalesweep.api.v1alpha1;

/** The API group and version of every scalesweep resource, in one place. */
public final class ApiGroup {

  public static final String GROUP = "scalesweep.io";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  private ApiGroup() {}
}
