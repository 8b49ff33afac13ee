package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/**
 * Resources for the trials up to a size: one entry of {@code resources.byShape}. A field left out
 * takes the sweep's plain {@code resources} value.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.maxParams) != has(self.maxFlopsPerStep)", message = "give exactly one bound: maxParams or maxFlopsPerStep")
public class ShapeResourceRule {

  @JsonPropertyDescription("Matches trials with at most this many parameters (exact count, as scalesweep plan prints it).")
  @JsonProperty("maxParams")
  @Min(1)
  private Long maxParams;

  @JsonPropertyDescription(
      "Matches trials with at most this many training FLOPs per optimizer step (at the sweep's batchSize and "
          + "lengths, as scalesweep plan prints it).")
  @JsonProperty("maxFlopsPerStep")
  @Min(1)
  private Long maxFlopsPerStep;

  @JsonPropertyDescription("GPUs of each matching trial; 0 trains on CPU.")
  @JsonProperty("gpus")
  @Required
  @Min(0)
  @Max(16)
  private Integer gpus;

  @JsonPropertyDescription("CPU request and limit of matching trials (a Kubernetes quantity); the sweep's cpu when absent.")
  @JsonProperty("cpu")
  @Pattern(ResourcesSpec.QUANTITY)
  private String cpu;

  @JsonPropertyDescription("Memory request and limit of matching trials (a Kubernetes quantity); the sweep's memory when absent.")
  @JsonProperty("memory")
  @Pattern(ResourcesSpec.QUANTITY)
  private String memory;

  @JsonPropertyDescription(
      "Node labels matching trials must run on, for example a GPU type; replaces the sweep's nodeSelector "
          + "when given.")
  @JsonProperty("nodeSelector")
  @Size(max = 32)
  private Map<String, String> nodeSelector;

  @JsonPropertyDescription(
      "Training tokens per second one GPU of this kind reaches, for scalesweep plan's GPU-hours estimate; "
          + "the sweep's tokensPerSecondPerGpu when absent. Not used by the operator.")
  @JsonProperty("tokensPerSecondPerGpu")
  @Min(value = 0, inclusive = false)
  private Double tokensPerSecondPerGpu;

  public Long getMaxParams() {
    return maxParams;
  }

  public void setMaxParams(Long maxParams) {
    this.maxParams = maxParams;
  }

  public Long getMaxFlopsPerStep() {
    return maxFlopsPerStep;
  }

  public void setMaxFlopsPerStep(Long maxFlopsPerStep) {
    this.maxFlopsPerStep = maxFlopsPerStep;
  }

  public Integer getGpus() {
    return gpus;
  }

  public void setGpus(Integer gpus) {
    this.gpus = gpus;
  }

  public String getCpu() {
    return cpu;
  }

  public void setCpu(String cpu) {
    this.cpu = cpu;
  }

  public String getMemory() {
    return memory;
  }

  public void setMemory(String memory) {
    this.memory = memory;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public Double getTokensPerSecondPerGpu() {
    return tokensPerSecondPerGpu;
  }

  public void setTokensPerSecondPerGpu(Double tokensPerSecondPerGpu) {
    this.tokensPerSecondPerGpu = tokensPerSecondPerGpu;
  }
}
