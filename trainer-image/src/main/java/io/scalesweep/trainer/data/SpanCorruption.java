package io.scalesweep.trainer.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * T5's span-corruption objective (t5.data.preprocessors): {@code random_spans_noise_mask} picks
 * noise spans, {@code noise_span_to_unique_sentinel} builds the inputs and {@code
 * nonnoise_span_to_unique_sentinel} the targets, each ending in EOS. Deterministic in the seed;
 * the random source differs from TensorFlow's, so the spans are T5's in distribution, not bit
 * for bit.
 */
public final class SpanCorruption {

  private final double noiseDensity;
  private final double meanNoiseSpanLength;
  private final Tokenizer tokenizer;

  public SpanCorruption(double noiseDensity, double meanNoiseSpanLength, Tokenizer tokenizer) {
    if (!(noiseDensity > 0 && noiseDensity < 1)) {
      throw new IllegalArgumentException("noiseDensity must be in (0, 1), got " + noiseDensity);
    }
    if (!(meanNoiseSpanLength >= 1)) {
      throw new IllegalArgumentException(
          "meanNoiseSpanLength must be at least 1, got " + meanNoiseSpanLength);
    }
    this.noiseDensity = noiseDensity;
    this.meanNoiseSpanLength = meanNoiseSpanLength;
    this.tokenizer = tokenizer;
  }

  /** Corrupts one raw chunk; the seed alone decides the spans. */
  public Example corrupt(int[] tokens, long seed) {
    boolean[] noise = noiseMask(tokens.length, seed);
    return new Example(replaceSpans(tokens, noise, true), replaceSpans(tokens, noise, false));
  }

  /**
   * Which tokens are noise. Counts are computed in float32 as TensorFlow does, then rounded half
   * to even; the sequence always starts with a non-noise span and ends with a noise span.
   */
  public boolean[] noiseMask(int length, long seed) {
    int origLength = length;
    length = Math.max(length, 2); // T5: avoids degenerate masks for 0 or 1 tokens
    int noiseTokens = (int) Math.rint((float) length * (float) noiseDensity);
    noiseTokens = Math.min(Math.max(noiseTokens, 1), length - 1);
    int spans = (int) Math.rint((float) noiseTokens / (float) meanNoiseSpanLength);
    spans = Math.max(spans, 1);
    int nonNoiseTokens = length - noiseTokens;
    // Where T5 would fail (fewer non-noise tokens than spans) we use fewer spans.
    spans = Math.min(spans, nonNoiseTokens);

    SplittableRandom random = new SplittableRandom(seed);
    int[] noiseLengths = randomSegmentation(noiseTokens, spans, random);
    int[] nonNoiseLengths = randomSegmentation(nonNoiseTokens, spans, random);

    boolean[] mask = new boolean[origLength];
    int position = 0;
    for (int span = 0; span < spans; span++) {
      position += nonNoiseLengths[span];
      for (int k = 0; k < noiseLengths[span]; k++, position++) {
        if (position < origLength) {
          mask[position] = true;
        }
      }
    }
    return mask;
  }

  /**
   * Splits {@code items} into {@code segments} non-empty runs, uniformly: a shuffled 0/1 vector
   * marks which of the items after the first starts a new segment, as T5's
   * {@code _random_segmentation} does.
   */
  private static int[] randomSegmentation(int items, int segments, SplittableRandom random) {
    boolean[] startsSegment = new boolean[items];
    for (int i = 1; i < segments; i++) {
      startsSegment[i] = true;
    }
    for (int i = items - 1; i > 1; i--) { // Fisher-Yates over positions 1..items-1
      int j = 1 + random.nextInt(i);
      boolean t = startsSegment[i];
      startsSegment[i] = startsSegment[j];
      startsSegment[j] = t;
    }
    int[] lengths = new int[segments];
    int segment = 0;
    for (int i = 0; i < items; i++) {
      if (startsSegment[i]) {
        segment++;
      }
      lengths[segment]++;
    }
    return lengths;
  }

  /**
   * Keeps the tokens outside the dropped spans and replaces each dropped span by the next
   * sentinel; {@code dropNoise} true gives the inputs, false the targets.
   */
  private int[] replaceSpans(int[] tokens, boolean[] noise, boolean dropNoise) {
    int[] out = new int[tokens.length + 1];
    int n = 0;
    int sentinel = 0;
    for (int i = 0; i < tokens.length; i++) {
      boolean dropped = noise[i] == dropNoise;
      if (!dropped) {
        out[n++] = tokens[i];
      } else if (i == 0 || noise[i - 1] != noise[i]) {
        out[n++] = tokenizer.sentinel(sentinel++);
      }
    }
    out[n++] = tokenizer.eosId();
    return Arrays.copyOf(out, n);
  }
}
