package io.scalesweep.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** The encoder stack: bidirectional position bias shared by its layers, then a final norm. */
public final class T5Encoder extends T5Block {

  private final DropoutRate dropoutRate;
  private final RelativePositionBias positionBias;
  private final List<T5EncoderLayer> layers = new ArrayList<>();
  private final RmsNorm finalNorm;

  public T5Encoder(io.scalesweep.api.shape.Shape shape, DropoutRate dropoutRate) {
    this.dropoutRate = dropoutRate;
    positionBias =
        addChildBlock(
            "positionBias", new RelativePositionBias(shape.numHeads(), shape.dModel(), true));
    for (int i = 0; i < shape.encoderLayers(); i++) {
      layers.add(addChildBlock("layer" + i, new T5EncoderLayer(shape, dropoutRate)));
    }
    finalNorm = addChildBlock("finalNorm", new RmsNorm(shape.dModel()));
  }

  /**
   * @param embedded token embeddings {@code [batch, length, dModel]}
   * @param mask {@code [batch, length]}, 1 for tokens and 0 for padding; null when nothing is
   *     padded
   */
  public NDArray apply(
      ParameterStore parameterStore, NDArray embedded, NDArray mask, boolean training) {
    return apply(parameterStore, embedded, mask, false, training);
  }

  /**
   * @param segmented whether {@code mask} numbers the examples packed into each row (1, 2, ...;
   *     0 for padding), which then see only themselves
   */
  public NDArray apply(
      ParameterStore parameterStore,
      NDArray embedded,
      NDArray mask,
      boolean segmented,
      boolean training) {
    int length = Math.toIntExact(embedded.getShape().get(1));
    NDArray bias =
        positionBias.bias(parameterStore, embedded.getManager(), length, length, 0, training);
    if (mask != null) {
      bias =
          bias.add(segmented ? AttentionMasks.segments(mask, mask) : AttentionMasks.padding(mask));
    }
    NDArray x = dropout(embedded, dropoutRate, training);
    for (T5EncoderLayer layer : layers) {
      x = layer.apply(parameterStore, x, bias, training);
    }
    return dropout(finalNorm.apply(parameterStore, x, training), dropoutRate, training);
  }

  /** Frees what the stack cached on the device. */
  void closeCaches() {
    positionBias.closeCache();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray mask = inputs.size() > 1 ? inputs.get(1) : null;
    return new NDList(apply(parameterStore, inputs.get(0), mask, training));
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
