package io.scalesweep.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a Java number that is safe on arrays that autograd records.
 *
 * <p>DJL's {@code x.mul(0.5f)} wraps the number in a tensor over a direct Java buffer
 * ({@code from_blob}, no copy) and closes that tensor as soon as the product is computed. Autograd
 * keeps the tensor for the backward pass ({@code MulBackward} and {@code DivBackward} save their
 * second operand), but nothing keeps the Java buffer alive: the next garbage collection frees it,
 * and the backward pass reads freed memory. The result is a gradient that is wrong or NaN at a
 * random step, only when a collection fell between the forward and the backward pass, while the
 * loss of the same step is fine. Here the number becomes a 0-d tensor allocated by libtorch
 * ({@code full}), which autograd's reference keeps alive for as long as it needs it.
 *
 * <p>Use this for every multiplication, division or power by a constant on the training path
 * ({@code PowBackward} saves its exponent too); {@code add} and {@code sub} save no operand, and
 * evaluation runs without autograd.
 */
public final class Scalars {

  private Scalars() {}

  /**
   * {@code x * factor}, with {@code factor} in x's type and on x's device. (Division by a constant
   * is multiplication by its inverse.)
   */
  public static NDArray mul(NDArray x, float factor) {
    try (NDArray scalar = x.getManager().full(new Shape(), factor, x.getDataType())) {
      return x.mul(scalar);
    }
  }

  /** {@code x} to the power {@code exponent}, the exponent in x's type and on x's device. */
  public static NDArray pow(NDArray x, float exponent) {
    try (NDArray scalar = x.getManager().full(new Shape(), exponent, x.getDataType())) {
      return x.pow(scalar);
    }
  }
}
