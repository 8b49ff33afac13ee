package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One row of the sweep's results table. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrialSummary {

  @JsonPropertyDescription("TrainingJob name.")
  @JsonProperty("name")
  private String name;

  @JsonPropertyDescription("Shape in the paper's notation.")
  @JsonProperty("code")
  private String code;

  @JsonPropertyDescription("Phase of the trial.")
  @JsonProperty("phase")
  private TrialPhase phase;

  @JsonPropertyDescription("Trainable parameters.")
  @JsonProperty("params")
  private Long params;

  @JsonPropertyDescription("Training FLOPs per step.")
  @JsonProperty("flops")
  private Long flops;

  @JsonPropertyDescription("Measured throughput.")
  @JsonProperty("tokensPerSecond")
  private Double tokensPerSecond;

  @JsonPropertyDescription("Upstream quality (higher is better).")
  @JsonProperty("negLogPerplexity")
  private Double negLogPerplexity;

  @JsonPropertyDescription("Downstream quality (0 to 100).")
  @JsonProperty("downstreamAverage")
  private Double downstreamAverage;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getCode() {
    return code;
  }

  public void setCode(String code) {
    this.code = code;
  }

  public TrialPhase getPhase() {
    return phase;
  }

  public void setPhase(TrialPhase phase) {
    this.phase = phase;
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

  public Double getTokensPerSecond() {
    return tokensPerSecond;
  }

  public void setTokensPerSecond(Double tokensPerSecond) {
    this.tokensPerSecond = tokensPerSecond;
  }

  public Double getNegLogPerplexity() {
    return negLogPerplexity;
  }

  public void setNegLogPerplexity(Double negLogPerplexity) {
    this.negLogPerplexity = negLogPerplexity;
  }

  public Double getDownstreamAverage() {
    return downstreamAverage;
  }

  public void setDownstreamAverage(Double downstreamAverage) {
    this.downstreamAverage = downstreamAverage;
  }

}
