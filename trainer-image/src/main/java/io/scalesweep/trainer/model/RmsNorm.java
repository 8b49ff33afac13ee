package io.scalesweep.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.function.BiConsumer;

/** T5's pre-norm: divides by the root mean square (no mean subtraction, no bias), then scales. */
public final class RmsNorm extends T5Block {

  /** Mesh TensorFlow's and Hugging Face's T5 epsilon. */
  public static final float EPSILON = 1e-6f;

  private final Parameter weight;

  public RmsNorm(int dModel) {
    weight =
        addParameter(
            Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.GAMMA)
                .optShape(new Shape(dModel))
                .optInitializer(Initializer.ONES)
                .build());
  }

  /** Normalises the last axis of {@code x}; the statistics are taken in fp32 whatever x's type. */
  public NDArray apply(ParameterStore parameterStore, NDArray x, boolean training) {
    NDArray scale = parameterStore.getValue(weight, x.getDevice(), training);
    // casts that autograd follows (toType would cut the gradient)
    NDArray x32 = HalfMatmuls.toSingle(x);
    NDArray meanSquare = x32.square().mean(new int[] {-1}, true);
    // one reciprocal root per position, then a multiplication: a division of the whole
    // activation costs more forward, and far more backward
    NDArray normed = x32.mul(Scalars.pow(meanSquare.add(EPSILON), -0.5f)).mul(scale);
    return HalfMatmuls.castLike(normed, x);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    return new NDList(apply(parameterStore, inputs.singletonOrThrow(), training));
  }

  @Override
  public void visitParameters(String prefix, BiConsumer<String, Parameter> visitor) {
    visitor.accept(prefix + "weight", weight);
  }
}
