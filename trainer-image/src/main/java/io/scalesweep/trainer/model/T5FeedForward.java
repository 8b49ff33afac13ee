package io.scalesweep.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.BiConsumer;

/** T5 1.0's feed-forward: wi, ReLU, wo, no biases (T5 1.1's gated GELU is a different model). */
public final class T5FeedForward extends T5Block {

  private final DropoutRate dropoutRate;
  private final Parameter wi;
  private final Parameter wo;

  public T5FeedForward(int dModel, int dFF, DropoutRate dropoutRate) {
    this.dropoutRate = dropoutRate;
    wi = addParameter(T5Attention.weight("wi", dFF, dModel, Math.pow(dModel, -0.5)));
    wo = addParameter(T5Attention.weight("wo", dModel, dFF, Math.pow(dFF, -0.5)));
  }

  public NDArray apply(ParameterStore parameterStore, NDArray x, boolean training) {
    NDArray hidden = Activation.relu(HalfMatmuls.linear(parameterStore, x, wi, training));
    hidden = dropout(hidden, dropoutRate, training);
    return HalfMatmuls.linear(parameterStore, hidden, wo, training);
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
    visitor.accept(prefix + "wi.weight", wi);
    visitor.accept(prefix + "wo.weight", wo);
  }
}
