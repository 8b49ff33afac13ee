package io.scalesweep.trainer.model;

/**
 * T5's mapping from a relative position (key position minus query position) to one of its
 * learned bias buckets: exact buckets for short distances, logarithmic ones up to the maximum
 * distance, and one bucket for everything farther. The encoder tells left from right
 * (bidirectional); the decoder only looks back, so every future position falls in bucket 0.
 */
public final class RelativePositionBuckets {

  /** T5's bucket count (ParamCounter counts one bias per bucket and head). */
  public static final int NUM_BUCKETS = 32;

  /** Distance from which all positions share the last bucket. */
  public static final int MAX_DISTANCE = 128;

  private RelativePositionBuckets() {}

  public static int bucket(int relativePosition, boolean bidirectional) {
    return bucket(relativePosition, bidirectional, NUM_BUCKETS, MAX_DISTANCE);
  }

  public static int bucket(
      int relativePosition, boolean bidirectional, int numBuckets, int maxDistance) {
    int buckets = numBuckets;
    int base = 0;
    int distance;
    if (bidirectional) {
      buckets /= 2;
      base = relativePosition > 0 ? buckets : 0;
      distance = Math.abs(relativePosition);
    } else {
      distance = Math.max(-relativePosition, 0);
    }
    int maxExact = buckets / 2;
    if (distance < maxExact) {
      return base + distance;
    }
    // Double precision keeps the exact powers of two (16/8, 32/8 ...) on their integer bucket,
    // where the float32 of the references also lands; the parity test checks the whole range.
    double logarithmic =
        Math.log((double) distance / maxExact)
            / Math.log((double) maxDistance / maxExact)
            * (buckets - maxExact);
    return base + Math.min(maxExact + (int) logarithmic, buckets - 1);
  }

  /**
   * Buckets of a query block against a key block, row-major {@code [queryLength, keyLength]}.
   * Query i sits at absolute position {@code queryOffset + i} (non-zero while decoding with a
   * cache), key j at position j.
   */
  public static long[] matrix(
      int queryLength, int keyLength, int queryOffset, boolean bidirectional) {
    // Each relative position occurs on a whole diagonal: compute each one once.
    int minRelative = -(queryOffset + queryLength - 1);
    int[] byRelative = new int[keyLength - 1 - minRelative + 1];
    for (int r = 0; r < byRelative.length; r++) {
      byRelative[r] = bucket(minRelative + r, bidirectional);
    }
    long[] out = new long[queryLength * keyLength];
    for (int i = 0; i < queryLength; i++) {
      for (int j = 0; j < keyLength; j++) {
        out[i * keyLength + j] = byRelative[j - (queryOffset + i) - minRelative];
      }
    }
    return out;
  }
}
