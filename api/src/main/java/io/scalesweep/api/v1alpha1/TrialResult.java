package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/**
 * What a finished trial measured. The trainer writes it to result.json and to the termination
 * message; the operator copies it into status.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrialResult {

  @JsonPropertyDescription("Trainable parameters (exact).")
  @JsonProperty("params")
  private Long params;

  @JsonPropertyDescription("Training FLOPs of one optimizer step (analytic, matmuls only).")
  @JsonProperty("flops")
  private Long flops;

  @JsonPropertyDescription("Pretraining steps completed.")
  @JsonProperty("steps")
  private Long steps;

  @JsonPropertyDescription("Measured training throughput (input plus target tokens).")
  @JsonProperty("tokensPerSecond")
  private Double tokensPerSecond;

  @JsonPropertyDescription("Measured optimizer steps per second.")
  @JsonProperty("stepsPerSecond")
  private Double stepsPerSecond;

  @JsonPropertyDescription("Training loss at the last step.")
  @JsonProperty("finalLoss")
  private Double finalLoss;

  @JsonPropertyDescription(
      "Held-out negative log-perplexity per target token, the paper's upstream metric "
          + "(higher is better).")
  @JsonProperty("negLogPerplexity")
  private Double negLogPerplexity;

  @JsonPropertyDescription(
      "Validation score per fine-tuning task, 0 to 100, of the weights after the last step.")
  @JsonProperty("downstream")
  private Map<String, Double> downstream;

  @JsonPropertyDescription("Mean of the downstream scores.")
  @JsonProperty("downstreamAverage")
  private Double downstreamAverage;

  @JsonPropertyDescription(
      "Per task, the highest validation score of all scorings (every finetune.evalEvery steps"
          + " and the last) and its step: what the paper reports.")
  @JsonProperty("downstreamBest")
  private Map<String, BestScore> downstreamBest;

  @JsonPropertyDescription("Mean of the best downstream scores.")
  @JsonProperty("downstreamBestAverage")
  private Double downstreamBestAverage;

  @JsonPropertyDescription(
      "For tasks with a difficultyField: the last scoring's score per difficulty value.")
  @JsonProperty("downstreamByDifficulty")
  private Map<String, Map<String, Double>> downstreamByDifficulty;

  @JsonPropertyDescription(
      "Optimizer updates skipped, both phases: the gradient was not finite, also when computed a"
          + " second time, while the loss was.")
  @JsonProperty("skippedSteps")
  private Long skippedSteps;

  @JsonPropertyDescription(
      "Steps, both phases, whose loss or gradient was not finite but was when computed a second"
          + " time from the same batch and weights: a fault of the machine or the trainer, not of"
          + " the recipe.")
  @JsonProperty("recomputedSteps")
  private Long recomputedSteps;

  @JsonPropertyDescription("Wall time of the whole trial.")
  @JsonProperty("wallSeconds")
  private Double wallSeconds;

  @JsonPropertyDescription("Where it trained, for example cpu() or gpu(0).")
  @JsonProperty("device")
  private String device;

  public Long getSkippedSteps() {
    return skippedSteps;
  }

  public void setSkippedSteps(Long skippedSteps) {
    this.skippedSteps = skippedSteps;
  }

  public Long getRecomputedSteps() {
    return recomputedSteps;
  }

  public void setRecomputedSteps(Long recomputedSteps) {
    this.recomputedSteps = recomputedSteps;
  }

  public Long getParams() {
    return params;
  }

  public void setParams(Long params) {
    this.params = params;
  }

  public Long getFlops() {
    return flops;
  }

  public void setFlops(Long flops) {
    this.flops = flops;
  }

  public Long getSteps() {
    return steps;
  }

  public void setSteps(Long steps) {
    this.steps = steps;
  }

  public Double getTokensPerSecond() {
    return tokensPerSecond;
  }

  public void setTokensPerSecond(Double tokensPerSecond) {
    this.tokensPerSecond = tokensPerSecond;
  }

  public Double getStepsPerSecond() {
    return stepsPerSecond;
  }

  public void setStepsPerSecond(Double stepsPerSecond) {
    this.stepsPerSecond = stepsPerSecond;
  }

  public Double getFinalLoss() {
    return finalLoss;
  }

  public void setFinalLoss(Double finalLoss) {
    this.finalLoss = finalLoss;
  }

  public Double getNegLogPerplexity() {
    return negLogPerplexity;
  }

  public void setNegLogPerplexity(Double negLogPerplexity) {
    this.negLogPerplexity = negLogPerplexity;
  }

  public Map<String, Double> getDownstream() {
    return downstream;
  }

  public void setDownstream(Map<String, Double> downstream) {
    this.downstream = downstream;
  }

  public Double getDownstreamAverage() {
    return downstreamAverage;
  }

  public void setDownstreamAverage(Double downstreamAverage) {
    this.downstreamAverage = downstreamAverage;
  }

  public Double getWallSeconds() {
    return wallSeconds;
  }

  public void setWallSeconds(Double wallSeconds) {
    this.wallSeconds = wallSeconds;
  }

  public String getDevice() {
    return device;
  }

  public void setDevice(String device) {
    this.device = device;
  }

  public Map<String, BestScore> getDownstreamBest() {
    return downstreamBest;
  }

  public void setDownstreamBest(Map<String, BestScore> downstreamBest) {
    this.downstreamBest = downstreamBest;
  }

  public Double getDownstreamBestAverage() {
    return downstreamBestAverage;
  }

  public void setDownstreamBestAverage(Double downstreamBestAverage) {
    this.downstreamBestAverage = downstreamBestAverage;
  }

  public Map<String, Map<String, Double>> getDownstreamByDifficulty() {
    return downstreamByDifficulty;
  }

  public void setDownstreamByDifficulty(Map<String, Map<String, Double>> downstreamByDifficulty) {
    this.downstreamByDifficulty = downstreamByDifficulty;
  }
}
