package io.scalesweep.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.function.BiConsumer;

/**
 * The learned relative position bias of one stack: a bucket-by-head table whose values are added
 * to the attention logits of every layer of the stack (T5 keeps one table per stack and Hugging
 * Face stores it in the stack's first layer).
 */
public final class RelativePositionBias extends T5Block {

  private final boolean bidirectional;
  private final int numHeads;
  private final Parameter table;
  private final ConstantCache buckets;

  public RelativePositionBias(int numHeads, int dModel, boolean bidirectional) {
    this.bidirectional = bidirectional;
    this.numHeads = numHeads;
    this.buckets =
        new ConstantCache(
            (m, n) ->
                m.create(RelativePositionBuckets.matrix(n, n, 0, bidirectional), new Shape(n, n)));
    table =
        addParameter(
            Parameter.builder()
                .setName("relative_attention_bias")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(RelativePositionBuckets.NUM_BUCKETS, numHeads))
                .optInitializer(new NormalInitializer((float) Math.pow(dModel, -0.5)))
                .build());
  }

  /**
   * The bias {@code [1, heads, queryLength, keyLength]}, created in {@code manager} (the caller's
   * per-step manager, never the model's).
   */
  public NDArray bias(
      ParameterStore parameterStore,
      NDManager manager,
      int queryLength,
      int keyLength,
      int queryOffset,
      boolean training) {
    NDArray weights = parameterStore.getValue(table, manager.getDevice(), training);
    NDArray values;
    if (queryOffset == 0) {
      // Training and evaluation see a few lengths again and again; decoding step by step sees
      // each offset once, so only whole blocks come from the cache.
      NDArray indices = buckets.block(manager, queryLength, keyLength);
      // The indices come first (the weights' manager is capped); the result may have joined the
      // cache's manager, so it moves to the caller's.
      values = Embedding.embedding(indices, weights, SparseFormat.DENSE).singletonOrThrow();
      values.attach(manager);
    } else {
      long[] matrix =
          RelativePositionBuckets.matrix(queryLength, keyLength, queryOffset, bidirectional);
      NDArray indices = manager.create(matrix, new Shape(queryLength, keyLength));
      values = Embedding.embedding(indices, weights, SparseFormat.DENSE).singletonOrThrow();
    }
    return values.transpose(2, 0, 1).expandDims(0);
  }

  /** Frees the cached bucket indices. */
  void closeCache() {
    buckets.close();
  }

  public boolean isBidirectional() {
    return bidirectional;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    int length = Math.toIntExact(x.getShape().get(1));
    return new NDList(bias(parameterStore, x.getManager(), length, length, 0, training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long length = inputShapes[0].get(1);
    return new Shape[] {new Shape(1, numHeads, length, length)};
  }

  @Override
  public void visitParameters(String prefix, BiConsumer<String, Parameter> visitor) {
    visitor.accept(prefix + "relative_attention_bias.weight", table);
  }
}
