package io.scalesweep.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.BiConsumer;

/**
 * One decoder layer: causal self-attention, cross-attention over the encoder output, feed-forward,
 * each pre-normed and added back. With a {@link DecoderCache} the same code decodes incrementally:
 * new keys and values are appended to the cached ones and the encoder's are projected only once.
 */
public final class T5DecoderLayer extends T5Block {

  private final int index;
  private final DropoutRate dropoutRate;
  private final RmsNorm selfAttentionNorm;
  private final T5Attention selfAttention;
  private final RmsNorm crossAttentionNorm;
  private final T5Attention crossAttention;
  private final RmsNorm feedForwardNorm;
  private final T5FeedForward feedForward;

  public T5DecoderLayer(io.scalesweep.api.shape.Shape shape, int index, DropoutRate dropoutRate) {
    this.index = index;
    this.dropoutRate = dropoutRate;
    selfAttentionNorm = addChildBlock("selfAttentionNorm", new RmsNorm(shape.dModel()));
    selfAttention = addChildBlock("selfAttention", attention(shape, dropoutRate));
    crossAttentionNorm = addChildBlock("crossAttentionNorm", new RmsNorm(shape.dModel()));
    crossAttention = addChildBlock("crossAttention", attention(shape, dropoutRate));
    feedForwardNorm = addChildBlock("feedForwardNorm", new RmsNorm(shape.dModel()));
    feedForward =
        addChildBlock("feedForward", new T5FeedForward(shape.dModel(), shape.dFF(), dropoutRate));
  }

  private static T5Attention attention(io.scalesweep.api.shape.Shape shape, DropoutRate dropoutRate) {
    return new T5Attention(
        shape.dModel(),
        shape.numHeads(),
        shape.kvHeads(),
        shape.dKV(),
        shape.tiedKV(),
        dropoutRate);
  }

  /**
   * @param selfBias position bias plus causal (and padding) mask for the self-attention
   * @param encoderOutput the encoder's output; with a cache only read on the first step
   * @param crossBias padding mask over the encoder positions, or null
   * @param cache null to attend over {@code x} alone (training, scoring)
   */
  public NDArray apply(
      ParameterStore parameterStore,
      NDArray x,
      NDArray selfBias,
      NDArray encoderOutput,
      NDArray crossBias,
      DecoderCache cache,
      boolean training) {
    NDArray normed = selfAttentionNorm.apply(parameterStore, x, training);
    KeyValues own = selfAttention.project(parameterStore, normed, training);
    if (cache != null) {
      own = cache.appendSelf(index, own);
    }
    NDArray attended = selfAttention.attend(parameterStore, normed, own, selfBias, training);
    x = x.add(dropout(attended, dropoutRate, training));

    normed = crossAttentionNorm.apply(parameterStore, x, training);
    KeyValues encoded =
        cache == null
            ? crossAttention.project(parameterStore, encoderOutput, training)
            : cache.cross(
                index, () -> crossAttention.project(parameterStore, encoderOutput, false));
    attended = crossAttention.attend(parameterStore, normed, encoded, crossBias, training);
    x = x.add(dropout(attended, dropoutRate, training));

    normed = feedForwardNorm.apply(parameterStore, x, training);
    NDArray fed = feedForward.apply(parameterStore, normed, training);
    return x.add(dropout(fed, dropoutRate, training));
  }

  /** Inputs: x, self bias, encoder output, cross bias (may be absent). */
  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray crossBias = inputs.size() > 3 ? inputs.get(3) : null;
    NDArray x = inputs.get(0);
    return new NDList(
        apply(parameterStore, x, inputs.get(1), inputs.get(2), crossBias, null, training));
  }

  @Override
  public void visitParameters(String prefix, BiConsumer<String, Parameter> visitor) {
    selfAttention.visitParameters(prefix + "layer.0.SelfAttention.", visitor);
    selfAttentionNorm.visitParameters(prefix + "layer.0.layer_norm.", visitor);
    crossAttention.visitParameters(prefix + "layer.1.EncDecAttention.", visitor);
    crossAttentionNorm.visitParameters(prefix + "layer.1.layer_norm.", visitor);
    feedForward.visitParameters(prefix + "layer.2.DenseReluDense.", visitor);
    feedForwardNorm.visitParameters(prefix + "layer.2.layer_norm.", visitor);
  }
}
