package io.scalesweep.trainer.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;

/**
 * The parameter store of a mixed-precision forward pass: the weights of the store it wraps (fp32,
 * the master weights the optimizer updates), but every block computes its matrix products in fp16
 * (attention projections and scores, feed-forward, the logits), casting weights and activations
 * on the way in. The residual stream, the norms, the masks and position biases, the softmax and
 * the loss stay fp32. Given any other store the blocks run in fp32, exactly as before this class
 * existed.
 *
 * <p>Every cast here stays in the autograd graph. DJL's {@code toType} does not: its native
 * {@code torchTo} runs under a {@code NoGradGuard}, so a gradient would stop at it. Down-casts add
 * into a fresh fp16 array of zeros in place (autograd casts the gradient back to fp32 on its way
 * to the source); up-casts let PyTorch's type promotion, or a softmax's output type, do it.
 */
public final class HalfMatmuls extends ParameterStore {

  private final ParameterStore weights;

  /**
   * @param weights where the fp32 weights come from (the trainer's store)
   * @param manager the store's own manager (DJL's constructor wants one; nothing is put in it)
   */
  public HalfMatmuls(ParameterStore weights, NDManager manager) {
    super(manager, false);
    this.weights = weights;
  }

  @Override
  public NDArray getValue(Parameter parameter, Device device, boolean training) {
    return weights.getValue(parameter, device, training);
  }

  /**
   * {@code x} times {@code weight} transposed ({@code [out, in]} as in PyTorch): in fp16 when
   * {@code store} is a {@link HalfMatmuls}, else in x's type. The result stays with x's manager,
   * never the model's.
   */
  static NDArray linear(ParameterStore store, NDArray x, Parameter weight, boolean training) {
    NDArray w = store.getValue(weight, x.getDevice(), training);
    if (!(store instanceof HalfMatmuls)) {
      return Linear.linear(x, w).singletonOrThrow();
    }
    return Linear.linear(toHalf(x, x.getManager()), toHalf(w, x.getManager())).singletonOrThrow();
  }

  /** {@code x} in fp16, in {@code manager}; x itself when it already is. */
  static NDArray toHalf(NDArray x, NDManager manager) {
    if (x.getDataType() == DataType.FLOAT16) {
      return x;
    }
    NDArray half = manager.zeros(x.getShape(), DataType.FLOAT16, x.getDevice());
    half.addi(x);
    return half;
  }

  /** {@code x} in the type of {@code like} (fp32, or fp16 under mixed precision). */
  static NDArray castLike(NDArray x, NDArray like) {
    DataType type = like.getDataType();
    if (x.getDataType() == type) {
      return x;
    }
    if (type == DataType.FLOAT16) {
      return toHalf(x, x.getManager());
    }
    if (type == DataType.FLOAT32) {
      return toSingle(x);
    }
    throw new IllegalArgumentException("no differentiable cast to " + type);
  }

  /** {@code x} in fp32; x itself when it already is. Adding an fp32 zero promotes, exactly. */
  static NDArray toSingle(NDArray x) {
    if (x.getDataType() == DataType.FLOAT32) {
      return x;
    }
    try (NDArray zero = x.getManager().zeros(new Shape(1), DataType.FLOAT32, x.getDevice())) {
      return x.add(zero);
    }
  }

  /** Softmax over {@code axis}, computed and returned in fp32 whatever x's type. */
  static NDArray softmax(NDArray x, int axis) {
    if (x.getDataType() == DataType.FLOAT32) {
      return x.softmax(axis);
    }
    return JniUtils.softmax((PtNDArray) x, axis, DataType.FLOAT32);
  }

  /** Log-softmax over {@code axis}, computed and returned in fp32 whatever x's type. */
  static NDArray logSoftmax(NDArray x, int axis) {
    if (x.getDataType() == DataType.FLOAT32) {
      return x.logSoftmax(axis);
    }
    return JniUtils.logSoftmax((PtNDArray) x, axis, DataType.FLOAT32);
  }
}
