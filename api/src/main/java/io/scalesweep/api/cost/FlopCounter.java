package io.scalesweep.api.cost;

import io.scalesweep.api.shape.Shape;

/**
 * Analytic training FLOPs: matrix multiplications only, 2 FLOPs per multiply-add, backward pass
 * twice the forward. Norms, softmax and the relative bias are left out, as is usual; they are a
 * few percent at these sizes. Compare models by ratios: absolute throughput depends on hardware.
 */
public final class FlopCounter {

  private FlopCounter() {}

  /** Training FLOPs of one optimizer step over {@code batch} examples. */
  public static long trainingFlopsPerStep(Shape s, int batch, int inputLength, int targetLength) {
    return Math.multiplyExact(3L * forwardFlopsPerExample(s, inputLength, targetLength), batch);
  }

  /** Forward FLOPs of one example with the given encoder input and decoder target lengths. */
  public static long forwardFlopsPerExample(Shape s, int inputLength, int targetLength) {
    long in = inputLength;
    long out = targetLength;
    long d = s.dModel();
    long inner = s.innerDim();
    long queryOut = 2 * d * inner;
    long keyValue = ParamCounter.keyValue(s);
    long ffn = ParamCounter.feedForward(s);

    long encoderLayer = 2 * in * (queryOut + keyValue + ffn) + 4 * in * in * inner;
    long decoderLayer =
        2 * out * (queryOut + keyValue + queryOut + ffn) // self-attention, cross q/o, feed-forward
            + 2 * in * keyValue // cross-attention keys and values over the encoder output
            + 4 * out * out * inner // self-attention scores and weighted values
            + 4 * out * in * inner; // cross-attention scores and weighted values
    long logits = 2 * out * s.vocabSize() * d;
    return s.encoderLayers() * encoderLayer + s.decoderLayers() * decoderLayer + logits;
  }
}
