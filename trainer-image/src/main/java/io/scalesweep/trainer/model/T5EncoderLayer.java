package io.scalesweep.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.BiConsumer;

/** One encoder layer: pre-norm self-attention, then pre-norm feed-forward, each added back. */
public final class T5EncoderLayer extends T5Block {

  private final DropoutRate dropoutRate;
  private final RmsNorm attentionNorm;
  private final T5Attention selfAttention;
  private final RmsNorm feedForwardNorm;
  private final T5FeedForward feedForward;

  public T5EncoderLayer(io.scalesweep.api.shape.Shape shape, DropoutRate dropoutRate) {
    this.dropoutRate = dropoutRate;
    attentionNorm = addChildBlock("attentionNorm", new RmsNorm(shape.dModel()));
    selfAttention =
        addChildBlock(
            "selfAttention",
            new T5Attention(
                shape.dModel(),
                shape.numHeads(),
                shape.kvHeads(),
                shape.dKV(),
                shape.tiedKV(),
                dropoutRate));
    feedForwardNorm = addChildBlock("feedForwardNorm", new RmsNorm(shape.dModel()));
    feedForward =
        addChildBlock("feedForward", new T5FeedForward(shape.dModel(), shape.dFF(), dropoutRate));
  }

  /** {@code bias}: position bias plus padding mask, broadcastable to [batch, heads, len, len]. */
  public NDArray apply(ParameterStore parameterStore, NDArray x, NDArray bias, boolean training) {
    NDArray normed = attentionNorm.apply(parameterStore, x, training);
    NDArray attended = selfAttention.forward(parameterStore, normed, normed, bias, training);
    x = x.add(dropout(attended, dropoutRate, training));
    normed = feedForwardNorm.apply(parameterStore, x, training);
    NDArray fed = feedForward.apply(parameterStore, normed, training);
    return x.add(dropout(fed, dropoutRate, training));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray bias = inputs.size() > 1 ? inputs.get(1) : null;
    return new NDList(apply(parameterStore, inputs.get(0), bias, training));
  }

  @Override
  public void visitParameters(String prefix, BiConsumer<String, Parameter> visitor) {
    selfAttention.visitParameters(prefix + "layer.0.SelfAttention.", visitor);
    attentionNorm.visitParameters(prefix + "layer.0.layer_norm.", visitor);
    feedForward.visitParameters(prefix + "layer.1.DenseReluDense.", visitor);
    feedForwardNorm.visitParameters(prefix + "layer.1.layer_norm.", visitor);
  }
}
