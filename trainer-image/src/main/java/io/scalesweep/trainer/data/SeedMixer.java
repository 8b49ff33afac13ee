package io.scalesweep.trainer.data;

/**
 * Derives independent seeds from a base seed and a counter (a chunk, an epoch, a document), so
 * every random choice of the data pipelines can be recomputed from its position alone and a
 * resumed run needs no saved random-generator state.
 */
public final class SeedMixer {

  private SeedMixer() {}

  /** SplitMix64's finaliser: a fixed, well-mixed hash, unlike Object.hashCode across JVMs. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
