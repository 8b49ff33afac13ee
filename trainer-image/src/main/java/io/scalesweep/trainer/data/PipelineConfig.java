package io.scalesweep.trainer.data;

import io.scalesweep.api.recipe.SpanLengths;
import io.scalesweep.api.v1alpha1.PretrainSpec;

/**
 * The shape of what a pipeline produces and the seed it draws with.
 *
 * @param targetLength decoder length; null derives it from the input length as T5 does
 * @param heldOutEvery one document in this many is held out of training (0: none) when the
 *     recipe has no separate validation dataset
 * @param shuffleFiles read the files of each epoch in a seeded random order
 */
public record PipelineConfig(
    int inputLength,
    Integer targetLength,
    double noiseDensity,
    double meanNoiseSpanLength,
    int batchSize,
    long seed,
    int heldOutEvery,
    boolean shuffleFiles) {

  public PipelineConfig {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
    }
  }

  /** The recipe's values, with the CRD's defaults where a field is unset. */
  public static PipelineConfig from(PretrainSpec spec) {
    return new PipelineConfig(
        orElse(spec.getInputLength(), 512),
        spec.getTargetLength(),
        orElse(spec.getNoiseDensity(), 0.15),
        orElse(spec.getMeanNoiseSpanLength(), 3.0),
        orElse(spec.getBatchSize(), 128),
        orElse(spec.getSeed(), 0L),
        HeldOutSplit.DEFAULT.every(),
        true);
  }

  /** Raw chunk and target lengths; the target length is the derived one unless set larger. */
  public SpanLengths lengths() {
    SpanLengths derived = SpanLengths.forInputLength(inputLength, noiseDensity, meanNoiseSpanLength);
    if (targetLength == null) {
      return derived;
    }
    if (targetLength < derived.targetLength()) {
      throw new IllegalArgumentException(
          "targetLength " + targetLength + " is shorter than the " + derived.targetLength()
              + " tokens span corruption produces for inputLength " + inputLength
              + "; leave it unset to derive it");
    }
    return new SpanLengths(inputLength, derived.rawLength(), targetLength, derived.noiseSpans());
  }

  public PipelineConfig withBatchSize(int size) {
    return new PipelineConfig(
        inputLength, targetLength, noiseDensity, meanNoiseSpanLength, size, seed, heldOutEvery,
        shuffleFiles);
  }

  public PipelineConfig withHeldOutEvery(int every) {
    return new PipelineConfig(
        inputLength, targetLength, noiseDensity, meanNoiseSpanLength, batchSize, seed, every,
        shuffleFiles);
  }

  private static <T> T orElse(T value, T fallback) {
    return value == null ? fallback : value;
  }
}
