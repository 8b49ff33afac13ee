package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** The span-corruption pretraining recipe every trial runs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.gradientAccumulation) || self.batchSize % self.gradientAccumulation == 0", message = "batchSize must be divisible by gradientAccumulation", fieldPath = ".gradientAccumulation")
public class PretrainSpec {

  @JsonPropertyDescription("Pretraining corpus.")
  @JsonProperty("dataset")
  @Required
  private DatasetSpec dataset;

  @JsonPropertyDescription(
      "Held-out corpus for the upstream metric; when absent, a held-out slice of the "
          + "dataset is used.")
  @JsonProperty("validation")
  private DatasetSpec validation;

  @JsonPropertyDescription("Tokenizer; the byte tokenizer when absent.")
  @JsonProperty("tokenizer")
  private TokenizerSpec tokenizer;

  @JsonPropertyDescription("Optimizer steps (the paper: 2^19).")
  @JsonProperty("steps")
  @Default("524288")
  @Min(1)
  private Integer steps;

  @JsonPropertyDescription("Sequences per optimizer step.")
  @JsonProperty("batchSize")
  @Default("128")
  @Min(1)
  private Integer batchSize;

  @JsonPropertyDescription("Micro-batches per optimizer step; batchSize must be divisible by it.")
  @JsonProperty("gradientAccumulation")
  @Default("1")
  @Min(1)
  private Integer gradientAccumulation;

  @JsonPropertyDescription("Encoder input tokens after span corruption.")
  @JsonProperty("inputLength")
  @Default("512")
  @Min(4)
  @Max(8192)
  private Integer inputLength;

  @JsonPropertyDescription(
      "Decoder target tokens; derived from inputLength, noiseDensity and "
          + "meanNoiseSpanLength as T5 does (114 for 512) when absent.")
  @JsonProperty("targetLength")
  @Min(1)
  @Max(8192)
  private Integer targetLength;

  @JsonPropertyDescription("Fraction of tokens corrupted by span corruption.")
  @JsonProperty("noiseDensity")
  @Default("0.15")
  @Min(value = 0, inclusive = false)
  @Max(value = 1, inclusive = false)
  private Double noiseDensity;

  @JsonPropertyDescription("Mean length of a corrupted span.")
  @JsonProperty("meanNoiseSpanLength")
  @Default("3.0")
  @Min(1)
  private Double meanNoiseSpanLength;

  @JsonPropertyDescription("adafactor (T5's default) or adamw.")
  @JsonProperty("optimizer")
  @Default("adafactor")
  private Optimizer optimizer;

  @JsonPropertyDescription("Peak learning rate of the inverse-square-root schedule.")
  @JsonProperty("learningRate")
  @Default("0.01")
  @Min(value = 0, inclusive = false)
  private Double learningRate;

  @JsonPropertyDescription("Steps before the inverse-square-root decay starts.")
  @JsonProperty("warmupSteps")
  @Default("10000")
  @Min(0)
  private Integer warmupSteps;

  @JsonPropertyDescription("Global gradient-norm clip; 0 turns clipping off.")
  @JsonProperty("maxGradNorm")
  @Default("0")
  @Min(0)
  private Double maxGradNorm;

  @JsonPropertyDescription(
      "Dropout rate while pretraining, 0 to below 1: 0 as in T5 1.1 and the paper's sweeps, 0.1"
          + " as in T5 1.0. Never applied when evaluating.")
  @JsonProperty("dropout")
  @Default("0")
  @Min(0)
  @Max(value = 1, inclusive = false)
  private Double dropout;

  @JsonPropertyDescription(
      "Arithmetic of training, pretraining and fine-tuning alike: fp32, or mixed-fp16 (matrix"
          + " products in fp16, norms, softmax and the loss in fp32, fp32 master weights and"
          + " optimizer state, dynamic loss scaling; for GPUs with fp16 tensor cores). Evaluation"
          + " always runs in fp32.")
  @JsonProperty("precision")
  @Default("fp32")
  private Precision precision;

  @JsonPropertyDescription("Steps between checkpoints.")
  @JsonProperty("checkpointEvery")
  @Default("5000")
  @Min(1)
  private Integer checkpointEvery;

  @JsonPropertyDescription("Held-out batches for the final negative log-perplexity.")
  @JsonProperty("evalBatches")
  @Default("20")
  @Min(1)
  private Integer evalBatches;

  @JsonPropertyDescription("Seed for initialisation, data order and corruption.")
  @JsonProperty("seed")
  @Default("0")
  private Long seed;

  public DatasetSpec getDataset() {
    return dataset;
  }

  public void setDataset(DatasetSpec dataset) {
    this.dataset = dataset;
  }

  public DatasetSpec getValidation() {
    return validation;
  }

  public void setValidation(DatasetSpec validation) {
    this.validation = validation;
  }

  public TokenizerSpec getTokenizer() {
    return tokenizer;
  }

  public void setTokenizer(TokenizerSpec tokenizer) {
    this.tokenizer = tokenizer;
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

  public Integer getGradientAccumulation() {
    return gradientAccumulation;
  }

  public void setGradientAccumulation(Integer gradientAccumulation) {
    this.gradientAccumulation = gradientAccumulation;
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

  public Double getNoiseDensity() {
    return noiseDensity;
  }

  public void setNoiseDensity(Double noiseDensity) {
    this.noiseDensity = noiseDensity;
  }

  public Double getMeanNoiseSpanLength() {
    return meanNoiseSpanLength;
  }

  public void setMeanNoiseSpanLength(Double meanNoiseSpanLength) {
    this.meanNoiseSpanLength = meanNoiseSpanLength;
  }

  public Optimizer getOptimizer() {
    return optimizer;
  }

  public void setOptimizer(Optimizer optimizer) {
    this.optimizer = optimizer;
  }

  public Double getLearningRate() {
    return learningRate;
  }

  public void setLearningRate(Double learningRate) {
    this.learningRate = learningRate;
  }

  public Integer getWarmupSteps() {
    return warmupSteps;
  }

  public void setWarmupSteps(Integer warmupSteps) {
    this.warmupSteps = warmupSteps;
  }

  public Double getMaxGradNorm() {
    return maxGradNorm;
  }

  public void setMaxGradNorm(Double maxGradNorm) {
    this.maxGradNorm = maxGradNorm;
  }

  public Integer getCheckpointEvery() {
    return checkpointEvery;
  }

  public void setCheckpointEvery(Integer checkpointEvery) {
    this.checkpointEvery = checkpointEvery;
  }

  public Integer getEvalBatches() {
    return evalBatches;
  }

  public void setEvalBatches(Integer evalBatches) {
    this.evalBatches = evalBatches;
  }

  public Double getDropout() {
    return dropout;
  }

  public void setDropout(Double dropout) {
    this.dropout = dropout;
  }

  public Precision getPrecision() {
    return precision;
  }

  public void setPrecision(Precision precision) {
    this.precision = precision;
  }

  public Long getSeed() {
    return seed;
  }

  public void setSeed(Long seed) {
    this.seed = seed;
  }

}
