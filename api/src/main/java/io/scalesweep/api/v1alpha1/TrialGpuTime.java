package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * The GPU time a trial's pods used, kept in status so that it is counted once: pods of a
 * preempted or suspended trial are deleted, and a status write can fail and be retried.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrialGpuTime {

  @JsonPropertyDescription("GPUs times the seconds the trainer ran, over the runs that ended.")
  @JsonProperty("seconds")
  private Long seconds;

  @JsonPropertyDescription("When the run going on now started (RFC 3339); absent while no pod runs.")
  @JsonProperty("runningSince")
  private String runningSince;

  @JsonPropertyDescription("End of the last run counted (RFC 3339): a run that ended before is never counted again.")
  @JsonProperty("countedUntil")
  private String countedUntil;

  public Long getSeconds() {
    return seconds;
  }

  public void setSeconds(Long seconds) {
    this.seconds = seconds;
  }

  public String getRunningSince() {
    return runningSince;
  }

  public void setRunningSince(String runningSince) {
    this.runningSince = runningSince;
  }

  public String getCountedUntil() {
    return countedUntil;
  }

  public void setCountedUntil(String countedUntil) {
    this.countedUntil = countedUntil;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrialGpuTime t && Objects.equals(seconds, t.seconds)
        && Objects.equals(runningSince, t.runningSince) && Objects.equals(countedUntil, t.countedUntil);
  }

  @Override
  public int hashCode() {
    return Objects.hash(seconds, runningSince, countedUntil);
  }
}
