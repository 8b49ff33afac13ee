package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A task's highest validation score over the scorings of one fine-tuning run, and when it was. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BestScore {

  @JsonPropertyDescription("The highest validation score, 0 to 100.")
  @JsonProperty("score")
  private Double score;

  @JsonPropertyDescription("The fine-tuning step it was scored at (the first, on a tie).")
  @JsonProperty("step")
  private Long step;

  public BestScore() {}

  public BestScore(double score, long step) {
    this.score = score;
    this.step = step;
  }

  public Double getScore() {
    return score;
  }

  public void setScore(Double score) {
    this.score = score;
  }

  public Long getStep() {
    return step;
  }

  public void setStep(Long step) {
    this.step = step;
  }
}
