package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Live progress of a running trial. The trainer writes it to {@code progress.json} in the trial's
 * folder every half minute or so; the operator copies it into the status about once a minute.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrainingProgress {

  @JsonPropertyDescription("pretrain or finetune.")
  @JsonProperty("stage")
  private String stage;

  @JsonPropertyDescription("Last completed step of the stage.")
  @JsonProperty("step")
  private Long step;

  @JsonPropertyDescription("Steps of the stage.")
  @JsonProperty("totalSteps")
  private Long totalSteps;

  @JsonPropertyDescription("Training loss at the last step.")
  @JsonProperty("loss")
  private Double loss;

  @JsonPropertyDescription("Training throughput.")
  @JsonProperty("tokensPerSecond")
  private Double tokensPerSecond;

  @JsonPropertyDescription("Seconds left in the stage at the recent rate.")
  @JsonProperty("etaSeconds")
  private Long etaSeconds;

  @JsonPropertyDescription("When the trainer reported this (RFC 3339).")
  @JsonProperty("updated")
  private String updated;

  public Long getEtaSeconds() {
    return etaSeconds;
  }

  public void setEtaSeconds(Long etaSeconds) {
    this.etaSeconds = etaSeconds;
  }

  public String getUpdated() {
    return updated;
  }

  public void setUpdated(String updated) {
    this.updated = updated;
  }

  public String getStage() {
    return stage;
  }

  public void setStage(String stage) {
    this.stage = stage;
  }

  public Long getStep() {
    return step;
  }

  public void setStep(Long step) {
    this.step = step;
  }

  public Long getTotalSteps() {
    return totalSteps;
  }

  public void setTotalSteps(Long totalSteps) {
    this.totalSteps = totalSteps;
  }

  public Double getLoss() {
    return loss;
  }

  public void setLoss(Double loss) {
    this.loss = loss;
  }

  public Double getTokensPerSecond() {
    return tokensPerSecond;
  }

  public void setTokensPerSecond(Double tokensPerSecond) {
    this.tokensPerSecond = tokensPerSecond;
  }

}
