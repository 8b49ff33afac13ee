package io.scalesweep.api.cost;

import io.scalesweep.api.shape.Shape;

/**
 * Exact trainable-parameter count of a T5 1.0 model: ReLU feed-forward, no biases, RMSNorm scales
 * only, one embedding table shared by encoder, decoder and output. The trainer's DJL model must
 * produce the same number (a test holds the two together).
 */
public final class ParamCounter {

  /** Relative-position buckets of T5: one learned bias per bucket and head, in each stack. */
  public static final int RELATIVE_BUCKETS = 32;

  private ParamCounter() {}

  public static long count(Shape s) {
    long d = s.dModel();
    long embedding = (long) s.vocabSize() * d;
    long encoderLayer = attention(s) + feedForward(s) + 2 * d;
    long decoderLayer = 2 * attention(s) + feedForward(s) + 3 * d;
    long relativeBias = 2L * RELATIVE_BUCKETS * s.numHeads();
    long finalNorms = 2 * d;
    return embedding
        + s.encoderLayers() * encoderLayer
        + s.decoderLayers() * decoderLayer
        + relativeBias
        + finalNorms;
  }

  /** Query and output projections plus key and value projections (shared or tied when asked). */
  static long attention(Shape s) {
    long d = s.dModel();
    return 2 * d * s.innerDim() + keyValue(s);
  }

  /** Keys and values: one projection each of g*d_kv wide, or a single one when tied (SKV). */
  static long keyValue(Shape s) {
    long projection = (long) s.dModel() * s.kvHeads() * s.dKV();
    return s.tiedKV() ? projection : 2 * projection;
  }

  static long feedForward(Shape s) {
    return 2L * s.dModel() * s.dFF();
  }
}
