package io.scalesweep.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The T5 1.0 encoder-decoder of one resolved shape: one embedding table shared by the encoder
 * input, the decoder input and the output projection (the decoder output scaled by
 * d_model^-0.5 first, as Mesh TensorFlow does with tied embeddings).
 *
 * <p>As a DJL block its forward takes {@code [inputIds, inputMask, decoderIds, decoderMask]}
 * (masks 1 for tokens, 0 for padding; both masks may be left out) and returns the logits
 * {@code [batch, targetLength, vocab]}.
 */
public final class T5Model extends T5Block implements AutoCloseable {

  /** Padding and the decoder's start token, in T5's SentencePiece and byte vocabularies alike. */
  public static final int PAD_ID = 0;

  public static final int EOS_ID = 1;

  private final io.scalesweep.api.shape.Shape shape;
  private final Parameter shared;
  private final T5Encoder encoder;
  private final T5Decoder decoder;
  private final DropoutRate dropoutRate;

  public T5Model(io.scalesweep.api.shape.Shape shape) {
    this(shape, 0f);
  }

  /** @param dropoutRate 0 for pretraining as in the paper; T5 fine-tunes with 0.1 */
  public T5Model(io.scalesweep.api.shape.Shape shape, float dropoutRate) {
    this.shape = shape;
    this.dropoutRate = new DropoutRate(dropoutRate);
    shared =
        addParameter(
            Parameter.builder()
                .setName("shared")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(shape.vocabSize(), shape.dModel()))
                .optInitializer(new NormalInitializer(1f))
                .build());
    encoder = addChildBlock("encoder", new T5Encoder(shape, this.dropoutRate));
    decoder = addChildBlock("decoder", new T5Decoder(shape, this.dropoutRate));
  }

  /**
   * Changes the dropout rate of every block from the next forward pass on; training passes only
   * ({@code training == false} never drops).
   */
  public void setDropoutRate(float rate) {
    dropoutRate.set(rate);
  }

  public float dropoutRate() {
    return dropoutRate.get();
  }

  /** Input shapes for {@link #initialize}: only their count matters, parameters are fixed. */
  public static Shape[] inputShapes(long batch, long inputLength, long targetLength) {
    return new Shape[] {
      new Shape(batch, inputLength),
      new Shape(batch, inputLength),
      new Shape(batch, targetLength),
      new Shape(batch, targetLength)
    };
  }

  /** Allocates and initialises every parameter in {@code manager} (fp32). */
  public void initialize(NDManager manager) {
    initialize(manager, DataType.FLOAT32, inputShapes(1, 1, 1));
  }

  /** Encoder output {@code [batch, inputLength, dModel]}. */
  public NDArray encode(
      ParameterStore parameterStore, NDArray inputIds, NDArray inputMask, boolean training) {
    NDArray embedded = embed(parameterStore, inputIds, training);
    return encoder.apply(parameterStore, embedded, inputMask, training);
  }

  /**
   * Logits {@code [batch, length, vocab]} of the decoder positions in {@code decoderIds}: the
   * whole (right-shifted) target when {@code cache} is null, else only the new positions after
   * the cached ones.
   */
  public NDArray decode(
      ParameterStore parameterStore,
      NDArray decoderIds,
      NDArray decoderMask,
      NDArray encoderOutput,
      NDArray encoderMask,
      DecoderCache cache,
      boolean training) {
    NDArray hidden =
        decoder.apply(
            parameterStore,
            embed(parameterStore, decoderIds, training),
            decoderMask,
            encoderOutput,
            encoderMask,
            cache,
            training);
    return project(parameterStore, hidden, training);
  }

  private NDArray project(ParameterStore parameterStore, NDArray hidden, boolean training) {
    NDArray scaled = Scalars.mul(hidden, (float) Math.pow(shape.dModel(), -0.5));
    return HalfMatmuls.linear(parameterStore, scaled, shared, training);
  }

  /** Teacher-forced logits {@code [batch, targetLength, vocab]}. */
  public NDArray logits(
      ParameterStore parameterStore,
      NDArray inputIds,
      NDArray inputMask,
      NDArray decoderIds,
      NDArray decoderMask,
      boolean training) {
    NDList embedded = embedBoth(parameterStore, inputIds, decoderIds, training);
    NDArray encoded = encoder.apply(parameterStore, embedded.get(0), inputMask, training);
    NDArray hidden =
        decoder.apply(
            parameterStore, embedded.get(1), decoderMask, encoded, inputMask, null, training);
    return project(parameterStore, hidden, training);
  }

  /**
   * Teacher-forced logits of rows that pack several examples: both masks number each row's
   * examples (1, 2, ...; 0 for padding), and no example attends to another.
   */
  public NDArray packedLogits(
      ParameterStore parameterStore,
      NDArray inputIds,
      NDArray inputSegments,
      NDArray decoderIds,
      NDArray decoderSegments,
      boolean training) {
    NDList embedded = embedBoth(parameterStore, inputIds, decoderIds, training);
    NDArray encoded =
        encoder.apply(parameterStore, embedded.get(0), inputSegments, true, training);
    NDArray hidden =
        decoder.apply(
            parameterStore,
            embedded.get(1),
            decoderSegments,
            encoded,
            inputSegments,
            null,
            true,
            training);
    return project(parameterStore, hidden, training);
  }

  /** An empty cache for incremental decoding, its arrays kept under {@code manager}. */
  public DecoderCache newCache(NDManager manager) {
    return new DecoderCache(manager, decoder.numLayers());
  }

  private NDArray embed(ParameterStore parameterStore, NDArray ids, boolean training) {
    NDArray table = parameterStore.getValue(shared, ids.getDevice(), training);
    NDArray indices = ids.getDataType() == DataType.INT64 ? ids : ids.toType(DataType.INT64, false);
    return Embedding.embedding(indices, table, SparseFormat.DENSE).singletonOrThrow();
  }

  /**
   * Embeddings of the encoder and the decoder ids from one lookup. Each lookup's backward pass
   * zeroes a gradient the size of the whole table (vocabulary by d_model) and adds it into the
   * table's gradient; one lookup instead of two saves one of each, per step, which for a small
   * model is more than its attention costs. The two halves are views of the one result.
   */
  private NDList embedBoth(
      ParameterStore parameterStore, NDArray inputIds, NDArray decoderIds, boolean training) {
    long inputLength = inputIds.getShape().get(1);
    NDArray ids =
        inputIds.toType(DataType.INT64, false).concat(decoderIds.toType(DataType.INT64, false), 1);
    return embed(parameterStore, ids, training).split(new long[] {inputLength}, 1);
  }

  /**
   * Frees the arrays the model cached on the device (position buckets, masks); the parameters
   * stay with the manager they were initialised in. The model may still be used afterwards: the
   * caches fill again.
   */
  @Override
  public void close() {
    encoder.closeCaches();
    decoder.closeCaches();
  }

  public io.scalesweep.api.shape.Shape shape() {
    return shape;
  }

  /** Trainable parameters (the sum of all parameter sizes). */
  public long parameterCount() {
    long total = 0;
    for (Parameter parameter : getParameters().values()) {
      total += parameter.getShape().size();
    }
    return total;
  }

  /** Every parameter under its Hugging Face T5 name, in a stable order. */
  public Map<String, Parameter> namedParameters() {
    Map<String, Parameter> named = new LinkedHashMap<>();
    visitParameters(
        "",
        (name, parameter) -> {
          if (named.put(name, parameter) != null) {
            throw new IllegalStateException("two parameters named " + name);
          }
        });
    return named;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    boolean masked = inputs.size() == 4;
    if (!masked && inputs.size() != 2) {
      throw new IllegalArgumentException(
          "T5Model takes [inputIds, inputMask, decoderIds, decoderMask] or [inputIds, decoderIds],"
              + " got "
              + inputs.size()
              + " arrays");
    }
    NDArray inputIds = inputs.get(0);
    NDArray inputMask = masked ? inputs.get(1) : null;
    NDArray decoderIds = inputs.get(masked ? 2 : 1);
    NDArray decoderMask = masked ? inputs.get(3) : null;
    return new NDList(
        logits(parameterStore, inputIds, inputMask, decoderIds, decoderMask, training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape target = inputShapes[inputShapes.length == 4 ? 2 : 1];
    return new Shape[] {new Shape(target.get(0), target.get(1), shape.vocabSize())};
  }

  @Override
  public void visitParameters(String prefix, BiConsumer<String, Parameter> visitor) {
    visitor.accept(prefix + "shared.weight", shared);
    encoder.visitParameters(prefix + "encoder.", visitor);
    decoder.visitParameters(prefix + "decoder.", visitor);
  }
}
