package io.scalesweep.api.recipe;

/**
 * The lengths T5's span corruption works with: how many raw tokens to cut so that, after noise
 * spans are replaced by sentinels and an EOS is added, the encoder input is exactly the requested
 * length, and how long the targets then are (T5's {@code random_spans_helper}; 512 inputs at
 * density 0.15 and mean span 3 give 568 raw tokens and 114 targets).
 *
 * @param rawTokens tokens cut from the packed stream for one example
 * @param inputLength encoder input length after corruption, EOS included
 * @param targetLength decoder target length, sentinels and EOS included
 */
public record SpanLengths(int rawTokens, int inputLength, int targetLength) {

  public static SpanLengths forInputLength(int inputLength, double noiseDensity, double meanSpanLength) {
    if (inputLength < 2) {
      throw new IllegalArgumentException("inputLength must be at least 2, got " + inputLength);
    }
    int raw = inputLength - 1;
    while (corruptedInputLength(raw + 1, noiseDensity, meanSpanLength) <= inputLength) {
      raw++;
    }
    int targets = corruptedTargetLength(raw, noiseDensity, meanSpanLength);
    // T5 trims one token at density 0.5 so targets do not exceed the (round) input length.
    if (noiseDensity == 0.5 && targets > inputLength) {
      raw--;
      targets--;
    }
    return new SpanLengths(raw, inputLength, targets);
  }

  public static int noiseTokens(int rawTokens, double noiseDensity) {
    // Math.rint rounds half to even, as the reference implementation's round() does.
    return (int) Math.rint(rawTokens * noiseDensity);
  }

  public static int noiseSpans(int rawTokens, double noiseDensity, double meanSpanLength) {
    return (int) Math.rint(noiseTokens(rawTokens, noiseDensity) / meanSpanLength);
  }

  private static int corruptedInputLength(int raw, double density, double meanSpan) {
    // every non-noise token, one sentinel per noise span, one EOS
    return raw - noiseTokens(raw, density) + noiseSpans(raw, density, meanSpan) + 1;
  }

  private static int corruptedTargetLength(int raw, double density, double meanSpan) {
    // every noise token, one sentinel per noise span, one EOS
    return noiseTokens(raw, density) + noiseSpans(raw, density, meanSpan) + 1;
  }
}
