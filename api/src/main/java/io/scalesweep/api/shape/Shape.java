package io.scalesweep.api.shape;

/**
 * A fully resolved T5 1.0 encoder-decoder shape: everything the parameter and FLOPs calculators
 * and the trainer need to build the model. Immutable; every constructor call is validated, so an
 * instance is always a model that can exist.
 *
 * @param encoderLayers transformer layers in the encoder stack
 * @param decoderLayers transformer layers in the decoder stack
 * @param dModel width of the residual stream
 * @param dFF inner width of each ReLU feed-forward block
 * @param dKV width of each attention head
 * @param numHeads query heads per attention block
 * @param kvHeads key/value heads shared by the query heads (SH); equals numHeads for plain
 *     multi-head attention, 1 for multi-query attention
 * @param tiedKV keys and values share one projection (SKV)
 * @param vocabSize rows of the shared embedding table
 */
public record Shape(
    int encoderLayers,
    int decoderLayers,
    int dModel,
    int dFF,
    int dKV,
    int numHeads,
    int kvHeads,
    boolean tiedKV,
    int vocabSize) {

  /** T5's SentencePiece vocabulary: 32000 pieces and 100 sentinels, padded to a multiple of 128. */
  public static final int T5_VOCAB_SIZE = 32128;

  public Shape {
    positive("encoderLayers", encoderLayers);
    positive("decoderLayers", decoderLayers);
    positive("dModel", dModel);
    positive("dFF", dFF);
    positive("dKV", dKV);
    positive("numHeads", numHeads);
    positive("kvHeads", kvHeads);
    positive("vocabSize", vocabSize);
    if (numHeads % kvHeads != 0) {
      throw new ShapeException(
          "kvHeads",
          "kvHeads must divide numHeads (got kvHeads=" + kvHeads + ", numHeads=" + numHeads + ")");
    }
  }

  private static void positive(String field, int value) {
    if (value < 1) {
      throw new ShapeException(field, field + " must be at least 1 (got " + value + ")");
    }
  }

  /** Width of all query heads together: the inner size of every attention projection. */
  public int innerDim() {
    return numHeads * dKV;
  }

  public Shape withEncoderLayers(int v) {
    return new Shape(v, decoderLayers, dModel, dFF, dKV, numHeads, kvHeads, tiedKV, vocabSize);
  }

  public Shape withDecoderLayers(int v) {
    return new Shape(encoderLayers, v, dModel, dFF, dKV, numHeads, kvHeads, tiedKV, vocabSize);
  }

  public Shape withDModel(int v) {
    return new Shape(encoderLayers, decoderLayers, v, dFF, dKV, numHeads, kvHeads, tiedKV, vocabSize);
  }

  public Shape withDFF(int v) {
    return new Shape(encoderLayers, decoderLayers, dModel, v, dKV, numHeads, kvHeads, tiedKV, vocabSize);
  }

  public Shape withDKV(int v) {
    return new Shape(encoderLayers, decoderLayers, dModel, dFF, v, numHeads, kvHeads, tiedKV, vocabSize);
  }

  /**
   * Changes the number of query heads. Key/value heads follow along when they were equal (plain
   * multi-head attention stays plain); a shared-head count is kept as it is.
   */
  public Shape withNumHeads(int v) {
    int kv = kvHeads == numHeads ? v : kvHeads;
    return new Shape(encoderLayers, decoderLayers, dModel, dFF, dKV, v, kv, tiedKV, vocabSize);
  }

  public Shape withKvHeads(int v) {
    return new Shape(encoderLayers, decoderLayers, dModel, dFF, dKV, numHeads, v, tiedKV, vocabSize);
  }

  public Shape withTiedKV(boolean v) {
    return new Shape(encoderLayers, decoderLayers, dModel, dFF, dKV, numHeads, kvHeads, v, vocabSize);
  }

  public Shape withVocabSize(int v) {
    return new Shape(encoderLayers, decoderLayers, dModel, dFF, dKV, numHeads, kvHeads, tiedKV, v);
  }
}
