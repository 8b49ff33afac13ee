package io.scalesweep.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.norm.Dropout;

/**
 * Common ground of this package's blocks: every parameter's shape is fixed by the model shape at
 * construction, so initialising is only allocating, children included, whatever the input shapes.
 */
abstract class T5Block extends AbstractBlock implements NamedParameters {

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (Block child : getChildren().values()) {
      child.initialize(manager, dataType, inputShapes);
    }
  }

  /**
   * Every block of the residual stream (norm, attention, feed-forward, layer, stack) maps {@code
   * [batch, length, dModel]} to the same shape; the position bias and the model override this.
   */
  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  /** Dropout that costs nothing at rate 0 (pretraining) and outside training. */
  static NDArray dropout(NDArray x, DropoutRate dropoutRate, boolean training) {
    float rate = dropoutRate.get();
    if (rate <= 0f || !training) {
      return x;
    }
    return Dropout.dropout(x, rate, true).singletonOrThrow();
  }
}
