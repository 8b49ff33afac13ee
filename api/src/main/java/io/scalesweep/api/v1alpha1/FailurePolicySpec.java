package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** How failures are retried and when a sweep gives up. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FailurePolicySpec {

  @JsonPropertyDescription("Retries of a failing trial; preemptions and evictions do not count.")
  @JsonProperty("maxRetries")
  @Default("3")
  @Min(0)
  @Max(100)
  private Integer maxRetries;

  @JsonPropertyDescription(
      "The sweep stops launching trials and is marked Failed once more trials than this "
          + "have failed.")
  @JsonProperty("maxFailedTrials")
  @Default("2")
  @Min(0)
  private Integer maxFailedTrials;

  public Integer getMaxRetries() {
    return maxRetries;
  }

  public void setMaxRetries(Integer maxRetries) {
    this.maxRetries = maxRetries;
  }

  public Integer getMaxFailedTrials() {
    return maxFailedTrials;
  }

  public void setMaxFailedTrials(Integer maxFailedTrials) {
    this.maxFailedTrials = maxFailedTrials;
  }

}
