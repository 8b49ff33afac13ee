package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Object storage for checkpoints, metrics, results and the sweep catalog. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageSpec {

  @JsonPropertyDescription(
      "Root URI: s3://bucket/prefix/ or file:///path/. Trials write under "
          + "<uri>/<namespace>/<sweep>/<trial>/, in a folder marked with the sweep's UID.")
  @JsonProperty("uri")
  @Required
  @Pattern("^(s3://[a-z0-9][a-z0-9.-]{1,62}(/.*)?|file:///.*)$")
  private String uri;

  @JsonPropertyDescription("S3 endpoint for S3-compatible stores (MinIO, Ceph, R2); AWS when empty.")
  @JsonProperty("endpoint")
  private String endpoint;

  @JsonPropertyDescription("S3 region.")
  @JsonProperty("region")
  @Default("us-east-1")
  private String region;

  @JsonPropertyDescription("Path-style S3 addressing, which most S3-compatible stores need.")
  @JsonProperty("pathStyle")
  @Default("true")
  private Boolean pathStyle;

  @JsonPropertyDescription(
      "Secret in the sweep's namespace with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; "
          + "its values are passed to the pod by reference only.")
  @JsonProperty("secretRef")
  private String secretRef;

  @JsonPropertyDescription(
      "Checkpoints kept once a trial is done: all, final (the last one of each trial) or "
          + "pareto (final ones of Pareto-optimal trials only).")
  @JsonProperty("keepCheckpoints")
  @Default("final")
  private KeepCheckpoints keepCheckpoints;

  @JsonPropertyDescription(
      "Delete the sweep's objects when the ScalingSweep is deleted, if its folder's owner.json "
          + "names this sweep. By default they are kept.")
  @JsonProperty("deleteOnSweepDeletion")
  @Default("false")
  private Boolean deleteOnSweepDeletion;

  public String getUri() {
    return uri;
  }

  public void setUri(String uri) {
    this.uri = uri;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public Boolean getPathStyle() {
    return pathStyle;
  }

  public void setPathStyle(Boolean pathStyle) {
    this.pathStyle = pathStyle;
  }

  public String getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(String secretRef) {
    this.secretRef = secretRef;
  }

  public KeepCheckpoints getKeepCheckpoints() {
    return keepCheckpoints;
  }

  public void setKeepCheckpoints(KeepCheckpoints keepCheckpoints) {
    this.keepCheckpoints = keepCheckpoints;
  }

  public Boolean getDeleteOnSweepDeletion() {
    return deleteOnSweepDeletion;
  }

  public void setDeleteOnSweepDeletion(Boolean deleteOnSweepDeletion) {
    this.deleteOnSweepDeletion = deleteOnSweepDeletion;
  }

}
