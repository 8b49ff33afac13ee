package io.scalesweep.api.shape;

import io.scalesweep.api.v1alpha1.PretrainSpec;
import io.scalesweep.api.v1alpha1.ShapeSpec;
import io.scalesweep.api.v1alpha1.TokenizerSpec;
import io.scalesweep.api.v1alpha1.TokenizerType;
import java.util.EnumMap;
import java.util.Map;

/**
 * The base shapes of one sweep: each base size's shape with the sweep's overrides and the
 * vocabulary its tokenizer implies. Each base is resolved once, however many trials use it.
 */
final class BaseShapes {

  private static final String OVERRIDES = "spec.overrides";

  private final ShapeSpec overrides;
  private final int vocabSize;
  private final Map<BaseSize, Shape> resolved = new EnumMap<>(BaseSize.class);

  BaseShapes(ShapeSpec overrides, PretrainSpec pretrain) {
    this.overrides = overrides == null ? new ShapeSpec() : overrides;
    this.vocabSize = or(this.overrides.getVocabSize(), defaultVocabSize(pretrain));
  }

  /**
   * The vocabulary the trainer's tokenizer will have: the byte vocabulary unless another
   * tokenizer is named, since bytes are the pretraining default.
   */
  static int defaultVocabSize(PretrainSpec pretrain) {
    TokenizerSpec tokenizer = pretrain == null ? null : pretrain.getTokenizer();
    TokenizerType type = tokenizer == null ? null : tokenizer.getType();
    return type == null || type == TokenizerType.BYTES ? ByteVocabulary.SIZE : Shape.T5_VOCAB_SIZE;
  }

  /**
   * @throws ShapeException with the override's path ({@code spec.overrides.kvHeads}) when the
   *     overrides make an impossible shape of this base
   */
  Shape of(BaseSize base) {
    return resolved.computeIfAbsent(base, this::resolve);
  }

  private Shape resolve(BaseSize base) {
    Shape b = base.shape();
    int numHeads = or(overrides.getNumHeads(), b.numHeads());
    try {
      return new Shape(
          or(overrides.getEncoderLayers(), b.encoderLayers()),
          or(overrides.getDecoderLayers(), b.decoderLayers()),
          or(overrides.getDModel(), b.dModel()),
          or(overrides.getDFF(), b.dFF()),
          or(overrides.getDKV(), b.dKV()),
          numHeads,
          or(overrides.getKvHeads(), numHeads),
          overrides.getTiedKV() != null ? overrides.getTiedKV() : b.tiedKV(),
          vocabSize);
    } catch (ShapeException e) {
      String path = OVERRIDES + "." + e.field();
      throw new ShapeException(
          path, path + " is invalid for base " + base.manifestName() + ": " + e.getMessage());
    }
  }

  private static int or(Integer value, int fallback) {
    return value != null ? value : fallback;
  }
}
