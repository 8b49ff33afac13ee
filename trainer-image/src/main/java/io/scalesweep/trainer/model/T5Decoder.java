package io.scalesweep.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The decoder stack: causal position bias shared by its layers, cross-attention over the encoder
 * output, a final norm. Decodes a whole target at once, or, with a {@link DecoderCache}, only the
 * new positions after those already cached.
 */
public final class T5Decoder extends T5Block {

  private final DropoutRate dropoutRate;
  private final RelativePositionBias positionBias;
  private final ConstantCache masks = new ConstantCache((m, n) -> AttentionMasks.causal(m, n, n, 0));
  private final List<T5DecoderLayer> layers = new ArrayList<>();
  private final RmsNorm finalNorm;

  public T5Decoder(io.scalesweep.api.shape.Shape shape, DropoutRate dropoutRate) {
    this.dropoutRate = dropoutRate;
    positionBias =
        addChildBlock(
            "positionBias", new RelativePositionBias(shape.numHeads(), shape.dModel(), false));
    for (int i = 0; i < shape.decoderLayers(); i++) {
      layers.add(addChildBlock("layer" + i, new T5DecoderLayer(shape, i, dropoutRate)));
    }
    finalNorm = addChildBlock("finalNorm", new RmsNorm(shape.dModel()));
  }

  /**
   * @param embedded embeddings of the new decoder positions {@code [batch, length, dModel]}
   * @param mask {@code [batch, cached + length]} 1 for tokens, 0 for padding; null for none
   * @param encoderOutput {@code [batch, inputLength, dModel]}
   * @param encoderMask {@code [batch, inputLength]}, or null when no input is padded
   * @param cache null to decode the whole target at once
   */
  public NDArray apply(
      ParameterStore parameterStore,
      NDArray embedded,
      NDArray mask,
      NDArray encoderOutput,
      NDArray encoderMask,
      DecoderCache cache,
      boolean training) {
    return apply(
        parameterStore, embedded, mask, encoderOutput, encoderMask, cache, false, training);
  }

  /**
   * @param segmented whether both masks number the examples packed into each row (1, 2, ...; 0
   *     for padding): a target position then sees only its own example's targets and input
   */
  public NDArray apply(
      ParameterStore parameterStore,
      NDArray embedded,
      NDArray mask,
      NDArray encoderOutput,
      NDArray encoderMask,
      DecoderCache cache,
      boolean segmented,
      boolean training) {
    if (segmented && (cache != null || mask == null || encoderMask == null)) {
      throw new IllegalArgumentException("packed rows need both segment masks and no cache");
    }
    NDManager manager = embedded.getManager();
    int length = Math.toIntExact(embedded.getShape().get(1));
    int offset = cache == null ? 0 : cache.length();
    int keys = offset + length;
    NDArray selfBias =
        positionBias
            .bias(parameterStore, manager, length, keys, offset, training)
            .add(causalMask(manager, length, keys, offset));
    NDArray crossBias;
    if (segmented) {
      selfBias = selfBias.add(AttentionMasks.segments(mask, mask));
      crossBias = AttentionMasks.segments(mask, encoderMask);
    } else {
      if (mask != null) {
        selfBias = selfBias.add(AttentionMasks.padding(mask));
      }
      crossBias = encoderMask == null ? null : AttentionMasks.padding(encoderMask);
    }
    NDArray x = dropout(embedded, dropoutRate, training);
    for (T5DecoderLayer layer : layers) {
      x = layer.apply(parameterStore, x, selfBias, encoderOutput, crossBias, cache, training);
    }
    if (cache != null) {
      cache.advance(length);
    }
    return dropout(finalNorm.apply(parameterStore, x, training), dropoutRate, training);
  }

  private NDArray causalMask(NDManager manager, int length, int keys, int offset) {
    if (offset != 0) {
      return AttentionMasks.causal(manager, length, keys, offset);
    }
    return masks.block(manager, length, keys);
  }

  /** Frees what the stack cached on the device. */
  void closeCaches() {
    positionBias.closeCache();
    masks.close();
  }

  public int numLayers() {
    return layers.size();
  }

  /** Inputs: embedded, mask, encoder output, encoder mask (all four; no cache). */
  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    return new NDList(
        apply(
            parameterStore,
            inputs.get(0),
            inputs.get(1),
            inputs.get(2),
            inputs.get(3),
            null,
            training));
  }

  @Override
  public void visitParameters(String prefix, BiConsumer<String, Parameter> visitor) {
    positionBias.visitParameters(prefix + "block.0.layer.0.SelfAttention.", visitor);
    for (int i = 0; i < layers.size(); i++) {
      layers.get(i).visitParameters(prefix + "block." + i + ".", visitor);
    }
    finalNorm.visitParameters(prefix + "final_layer_norm.", visitor);
  }
}
