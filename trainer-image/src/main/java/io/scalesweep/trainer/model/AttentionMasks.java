package io.scalesweep.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Additive attention masks: 0 where a query may look, a large negative number where it may not,
 * so that masking is one addition to the logits before the softmax.
 */
public final class AttentionMasks {

  /**
   * Far enough below any real logit that exp() of its distance from a row's maximum underflows to
   * exactly 0 in fp32 and fp16 alike (below about -104), so a masked key gets exactly zero weight;
   * small enough that two masks added together (causal plus padding) and the position bias stay far
   * inside fp16's range (65504), so a mask never becomes -inf or NaN, whatever type it meets.
   */
  public static final float MASKED = -1e4f;

  private AttentionMasks() {}

  /** From a {@code [batch, keys]} mask (1 = token, 0 = padding) to {@code [batch, 1, 1, keys]}. */
  public static NDArray padding(NDArray mask) {
    Shape shape = mask.getShape();
    NDArray zeroWhereToken = mask.toType(DataType.FLOAT32, false).sub(1f);
    return Scalars.mul(zeroWhereToken, -MASKED).reshape(shape.get(0), 1, 1, shape.get(1));
  }

  /**
   * For rows that pack several examples: from segment numbers {@code [batch, queries]} and {@code
   * [batch, keys]} (1, 2, ... per example, 0 for padding) to {@code [batch, 1, queries, keys]},
   * where a query sees only keys of its own example. Relative position biases need no change:
   * within one example, distances are the same as when it is alone in its row.
   */
  public static NDArray segments(NDArray querySegments, NDArray keySegments) {
    NDArray queries = querySegments.expandDims(2);
    NDArray keys = keySegments.expandDims(1);
    NDArray visible = queries.eq(keys).logicalAnd(keys.gt(0));
    NDArray hidden = visible.logicalNot().toType(DataType.FLOAT32, false);
    return Scalars.mul(hidden, MASKED).expandDims(1);
  }

  /**
   * {@code [1, 1, queries, keys]}: query i (at absolute position {@code queryOffset + i}) may see
   * keys at positions up to its own.
   */
  public static NDArray causal(NDManager manager, int queries, int keys, int queryOffset) {
    float[] values = new float[queries * keys];
    for (int i = 0; i < queries; i++) {
      for (int j = queryOffset + i + 1; j < keys; j++) {
        values[i * keys + j] = MASKED;
      }
    }
    return manager.create(values, new Shape(1, 1, queries, keys));
  }
}
