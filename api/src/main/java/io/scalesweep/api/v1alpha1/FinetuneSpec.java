package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Fine-tuning on downstream tasks after pretraining, and their evaluation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FinetuneSpec {

  @JsonPropertyDescription("Tasks to fine-tune on together and to evaluate.")
  @JsonProperty("tasks")
  @Required
  @Size(min = 1, max = 32)
  private List<TaskSpec> tasks;

  @JsonPropertyDescription("Fine-tuning optimizer steps.")
  @JsonProperty("steps")
  @Default("10000")
  @Min(1)
  private Integer steps;

  @JsonPropertyDescription("Examples per step.")
  @JsonProperty("batchSize")
  @Default("32")
  @Min(1)
  private Integer batchSize;

  @JsonPropertyDescription("Constant fine-tuning learning rate.")
  @JsonProperty("learningRate")
  @Default("0.001")
  @Min(value = 0, inclusive = false)
  private Double learningRate;

  @JsonPropertyDescription("Maximum input tokens; longer inputs are truncated.")
  @JsonProperty("inputLength")
  @Default("512")
  @Min(4)
  @Max(8192)
  private Integer inputLength;

  @JsonPropertyDescription("Maximum target tokens, also the decoding limit.")
  @JsonProperty("targetLength")
  @Default("64")
  @Min(1)
  @Max(8192)
  private Integer targetLength;

  @JsonPropertyDescription("How tasks are sampled: examples (proportional to size) or temperature.")
  @JsonProperty("mixing")
  @Default("examples")
  private Mixing mixing;

  @JsonPropertyDescription("Temperature of temperature-scaled mixing.")
  @JsonProperty("temperature")
  @Default("2.0")
  @Min(1)
  private Double temperature;

  @JsonPropertyDescription(
      "T5's K: when mixing rates are set, a task counts as at most this many examples, so a huge "
          + "task cannot crowd out the others; unset means no limit. Applies to both mixings.")
  @JsonProperty("mixingLimit")
  @Min(1)
  private Integer mixingLimit;

  @JsonPropertyDescription(
      "Fine-tune these weights instead of the trial's own pretraining, which is then skipped: a "
          + "Hugging Face T5 1.0 folder or .safetensors file (for example a google/t5-efficient-* "
          + "download), local or s3://. {code} is replaced by the trial's code, so one sweep can "
          + "name one checkpoint per shape. spec.pretrain still gives the tokenizer and the "
          + "held-out text the checkpoint is scored on.")
  @JsonProperty("checkpoint")
  @Size(min = 1)
  private String checkpoint;

  @JsonPropertyDescription(
      "Dropout rate while fine-tuning, 0 to below 1 (T5 1.0: 0.1). Never applied when evaluating.")
  @JsonProperty("dropout")
  @Default("0.1")
  @Min(0)
  @Max(value = 1, inclusive = false)
  private Double dropout;

  @JsonPropertyDescription(
      "Fine-tuning steps between validation scorings (each also a checkpoint); results then give"
          + " every task's best score and its step besides the last, as the paper reports the"
          + " best, and the best step's checkpoint is kept. Unset: scored once, at the end.")
  @JsonProperty("evalEvery")
  @Min(1)
  private Integer evalEvery;

  @JsonPropertyDescription(
      "Pack several short examples into each row of inputLength/targetLength tokens, kept apart"
          + " by attention masks, as T5 does: a batch then holds batchSize rows, not batchSize"
          + " examples.")
  @JsonProperty("pack")
  @Default("false")
  private Boolean pack;

  @JsonPropertyDescription(
      "Coefficient of the auxiliary z-loss (the squared log of the softmax normaliser per target"
          + " token); T5 used 1e-4, 0 turns it off.")
  @JsonProperty("zLoss")
  @Default("0")
  @Min(0)
  private Double zLoss;

  @JsonPropertyDescription("Steps between fine-tuning checkpoints.")
  @JsonProperty("checkpointEvery")
  @Default("1000")
  @Min(1)
  private Integer checkpointEvery;

  public List<TaskSpec> getTasks() {
    return tasks;
  }

  public void setTasks(List<TaskSpec> tasks) {
    this.tasks = tasks;
  }

  public Integer getSteps() {
    return steps;
  }

  public void setSteps(Integer steps) {
    this.steps = steps;
  }

  public Integer getBatchSize() {
    return batchSize;
  }

  public void setBatchSize(Integer batchSize) {
    this.batchSize = batchSize;
  }

  public Double getLearningRate() {
    return learningRate;
  }

  public void setLearningRate(Double learningRate) {
    this.learningRate = learningRate;
  }

  public Integer getInputLength() {
    return inputLength;
  }

  public void setInputLength(Integer inputLength) {
    this.inputLength = inputLength;
  }

  public Integer getTargetLength() {
    return targetLength;
  }

  public void setTargetLength(Integer targetLength) {
    this.targetLength = targetLength;
  }

  public Mixing getMixing() {
    return mixing;
  }

  public void setMixing(Mixing mixing) {
    this.mixing = mixing;
  }

  public Double getTemperature() {
    return temperature;
  }

  public void setTemperature(Double temperature) {
    this.temperature = temperature;
  }

  public Integer getMixingLimit() {
    return mixingLimit;
  }

  public void setMixingLimit(Integer mixingLimit) {
    this.mixingLimit = mixingLimit;
  }

  public String getCheckpoint() {
    return checkpoint;
  }

  public void setCheckpoint(String checkpoint) {
    this.checkpoint = checkpoint;
  }

  public Integer getCheckpointEvery() {
    return checkpointEvery;
  }

  public void setCheckpointEvery(Integer checkpointEvery) {
    this.checkpointEvery = checkpointEvery;
  }

  public Double getDropout() {
    return dropout;
  }

  public void setDropout(Double dropout) {
    this.dropout = dropout;
  }

  public Integer getEvalEvery() {
    return evalEvery;
  }

  public void setEvalEvery(Integer evalEvery) {
    this.evalEvery = evalEvery;
  }

  public Boolean getPack() {
    return pack;
  }

  public void setPack(Boolean pack) {
    this.pack = pack;
  }

  // Jackson would name a getZLoss "zloss"; the annotation keeps one property
  @JsonProperty("zLoss")
  public Double getZLoss() {
    return zLoss;
  }

  @JsonProperty("zLoss")
  public void setZLoss(Double zLoss) {
    this.zLoss = zLoss;
  }
}
