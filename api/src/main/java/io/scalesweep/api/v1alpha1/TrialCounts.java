package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How many trials are in each phase. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrialCounts {

  @JsonPropertyDescription("Trials the sweep expands to.")
  @JsonProperty("total")
  private Integer total;

  @JsonPropertyDescription("Trials waiting for a slot or for their pod.")
  @JsonProperty("pending")
  private Integer pending;

  @JsonPropertyDescription("Trials running.")
  @JsonProperty("running")
  private Integer running;

  @JsonPropertyDescription("Trials finished with results.")
  @JsonProperty("succeeded")
  private Integer succeeded;

  @JsonPropertyDescription("Trials failed after all retries.")
  @JsonProperty("failed")
  private Integer failed;

  public Integer getTotal() {
    return total;
  }

  public void setTotal(Integer total) {
    this.total = total;
  }

  public Integer getPending() {
    return pending;
  }

  public void setPending(Integer pending) {
    this.pending = pending;
  }

  public Integer getRunning() {
    return running;
  }

  public void setRunning(Integer running) {
    this.running = running;
  }

  public Integer getSucceeded() {
    return succeeded;
  }

  public void setSucceeded(Integer succeeded) {
    this.succeeded = succeeded;
  }

  public Integer getFailed() {
    return failed;
  }

  public void setFailed(Integer failed) {
    this.failed = failed;
  }

}
