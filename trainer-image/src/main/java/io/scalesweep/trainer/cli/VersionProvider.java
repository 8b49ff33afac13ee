package io.scalesweep.trainer.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the build's version, read from the jar manifest. */
public class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String version = VersionProvider.class.getPackage().getImplementationVersion();
    return new String[] {"scalesweep " + (version == null ? "(development build)" : version)};
  }
}
