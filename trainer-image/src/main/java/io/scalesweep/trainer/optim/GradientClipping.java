package io.scalesweep.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Global-norm gradient clipping (TensorFlow's clip_by_global_norm): all gradients scaled by
 * {@code maxNorm / max(norm, maxNorm)}. DJL's {@code optClipGrad} clamps elements instead.
 *
 * <p>Every temporary lives in a per-call manager that the parameters are temporarily attached
 * to: {@code parameter.getGradient().square()} would otherwise land in the model's manager and
 * stay there until the model closes.
 */
public final class GradientClipping {

  private GradientClipping() {}

  /**
   * Scales the gradients in place so their global L2 norm is at most {@code maxNorm}.
   *
   * @return the norm before clipping; NaN or infinite norms are returned without scaling so the
   *     caller can skip the step
   */
  public static float clipByGlobalNorm(PairList<String, Parameter> parameters, float maxNorm) {
    if (!(maxNorm > 0)) {
      throw new IllegalArgumentException("maxNorm must be positive, got " + maxNorm);
    }
    float norm = globalNorm(parameters);
    clip(parameters, norm, maxNorm);
    return norm;
  }

  /**
   * Scales the gradients in place by {@code maxNorm / norm} when {@code norm} (their global norm,
   * measured by the caller) is finite and above {@code maxNorm}.
   */
  public static void clip(PairList<String, Parameter> parameters, float norm, float maxNorm) {
    if (!(maxNorm > 0)) {
      throw new IllegalArgumentException("maxNorm must be positive, got " + maxNorm);
    }
    if (!Float.isFinite(norm) || norm <= maxNorm) {
      return;
    }
    scale(parameters, maxNorm / norm);
  }

  /**
   * As {@link #clipByGlobalNorm}, deciding on the device: nothing is read back, so a training step
   * that clips needs no host synchronisation for it. The factor is the same float the host would
   * compute ({@code maxNorm / norm}, or exactly 1 when the norm is at most {@code maxNorm} or not
   * finite), so the result is the same to the bit.
   *
   * @return the norm before clipping, a scalar in {@code target}; read it only when needed
   */
  public static NDArray clipOnDevice(
      PairList<String, Parameter> parameters, float maxNorm, NDManager target) {
    if (!(maxNorm > 0)) {
      throw new IllegalArgumentException("maxNorm must be positive, got " + maxNorm);
    }
    try (NDManager scope = NDManager.newBaseManager()) {
      List<NDArray> gradients = gradients(parameters, scope);
      if (gradients.isEmpty()) {
        return target.zeros(new Shape(), DataType.FLOAT32);
      }
      NDArray norm = sumOfSquares(gradients).sqrt();
      NDManager here = norm.getManager();
      NDArray limit = here.full(new Shape(), maxNorm, DataType.FLOAT32, norm.getDevice());
      NDArray infinity =
          here.full(new Shape(), Float.POSITIVE_INFINITY, DataType.FLOAT32, norm.getDevice());
      // false for NaN and infinity as for norms within the limit: those are left unscaled
      NDArray above = norm.gt(limit).logicalAnd(norm.lt(infinity));
      NDArray one = here.ones(new Shape(), DataType.FLOAT32, norm.getDevice());
      NDArray factor = NDArrays.where(above, limit.div(norm), one);
      for (NDArray g : gradients) {
        g.muli(factor);
      }
      norm.attach(target);
      return norm;
    }
  }

  /** Multiplies every gradient by {@code factor} in place, on the device. */
  public static void scale(PairList<String, Parameter> parameters, float factor) {
    try (NDManager scope = NDManager.newBaseManager()) {
      for (NDArray g : gradients(parameters, scope)) {
        g.muli(factor);
      }
    }
  }

  /** The global L2 norm of all gradients, unchanged. */
  public static float globalNorm(PairList<String, Parameter> parameters) {
    try (NDManager scope = NDManager.newBaseManager()) {
      return norm(gradients(parameters, scope));
    }
  }

  /**
   * The gradient of every trainable parameter, each once, the parameters temporarily attached to
   * {@code scope} (and so the gradients' handles too) until it closes.
   */
  static List<NDArray> gradients(PairList<String, Parameter> parameters, NDManager scope) {
    List<NDArray> out = new ArrayList<>();
    Set<NDArray> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Pair<String, Parameter> p : parameters) {
      Parameter parameter = p.getValue();
      if (!parameter.requiresGradient() || !parameter.isInitialized()) {
        continue;
      }
      NDArray weight = parameter.getArray();
      if (weight.hasGradient() && seen.add(weight)) {
        weight.tempAttach(scope);
        out.add(weight.getGradient()); // attached to scope through the weight
      }
    }
    return out;
  }

  private static float norm(List<NDArray> gradients) {
    return gradients.isEmpty() ? 0f : sumOfSquares(gradients).sqrt().getFloat();
  }

  /** The sum of all squared gradient elements, a scalar on the first gradient's device. */
  private static NDArray sumOfSquares(List<NDArray> gradients) {
    NDArray total = null;
    for (NDArray g : gradients) {
      NDArray squares = g.square().sum();
      total = total == null ? squares : total.addi(squares.toDevice(total.getDevice(), false));
    }
    return total;
  }
}
