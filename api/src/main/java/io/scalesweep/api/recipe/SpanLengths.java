package io.scalesweep.api.recipe;

/**
 * The raw chunk length and target length that make span corruption fill exactly the wanted
 * encoder input length: T5's {@code random_spans_helper} with one sentinel per span on each side
 * and one EOS on each side. 512 inputs at density 0.15 and mean span 3 give 568 raw tokens and
 * 114 targets. Lives in the API because the planner, the FLOPs it prints and the trainer must
 * agree on the target length.
 *
 * @param inputLength encoder tokens, EOS included
 * @param rawLength tokens cut from the packed stream before corruption
 * @param targetLength decoder tokens, EOS included
 * @param noiseSpans corrupted spans in a full chunk, so sentinels needed per example
 */
public record SpanLengths(int inputLength, int rawLength, int targetLength, int noiseSpans) {

  /** Derives the lengths as T5 does; python's round() (half to even) is {@link Math#rint}. */
  public static SpanLengths forInputLength(
      int inputLength, double noiseDensity, double meanNoiseSpanLength) {
    if (inputLength < 2) {
      throw new IllegalArgumentException("inputLength must be at least 2, got " + inputLength);
    }
    if (!(noiseDensity > 0 && noiseDensity < 1)) {
      throw new IllegalArgumentException("noiseDensity must be in (0, 1), got " + noiseDensity);
    }
    if (!(meanNoiseSpanLength >= 1)) {
      throw new IllegalArgumentException(
          "meanNoiseSpanLength must be at least 1, got " + meanNoiseSpanLength);
    }
    int tokens = inputLength - 1;
    while (lengthsFor(tokens + 1, noiseDensity, meanNoiseSpanLength)[0] <= inputLength) {
      tokens++;
    }
    int[] lengths = lengthsFor(tokens, noiseDensity, meanNoiseSpanLength);
    int targets = lengths[1];
    // T5's tweak: at density 0.5 it prefers targets no longer than the (round) inputs length.
    if (noiseDensity == 0.5 && targets > lengths[0]) {
      tokens--;
      targets--;
    }
    return new SpanLengths(inputLength, tokens, targets, lengths[2]);
  }

  /** {inputs, targets, spans} after corrupting {@code tokens} raw tokens. */
  private static int[] lengthsFor(int tokens, double noiseDensity, double meanSpan) {
    int noise = (int) Math.rint(tokens * noiseDensity);
    int nonNoise = tokens - noise;
    int spans = (int) Math.rint(noise / meanSpan);
    return new int[] {nonNoise + spans + 1, noise + spans + 1, spans};
  }
}
