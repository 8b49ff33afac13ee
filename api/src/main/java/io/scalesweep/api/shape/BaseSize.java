package io.scalesweep.api.shape;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The eight T5 base sizes of the paper's Table 1, with the two-letter codes its notation ends in.
 * tiny, mini and small use d_kv 64: Table 1 prints 32, but only 64 reproduces the published
 * parameter counts (and matches the released t5-efficient checkpoints).
 */
public enum BaseSize {
  @JsonProperty("tiny")
  TINY("TI", 4, 256, 1024, 64, 4),
  @JsonProperty("mini")
  MINI("MI", 4, 384, 1536, 64, 8),
  @JsonProperty("small")
  SMALL("SM", 6, 512, 2048, 64, 8),
  @JsonProperty("base")
  BASE("BA", 12, 768, 3072, 64, 12),
  @JsonProperty("large")
  LARGE("LG", 24, 1024, 4096, 64, 16),
  @JsonProperty("xl")
  XL("XL", 24, 1024, 16384, 128, 32),
  @JsonProperty("xxl")
  XXL("XXL", 24, 1024, 65536, 128, 128),
  @JsonProperty("xxxl")
  XXXL("XXXL", 28, 1280, 131072, 128, 256);

  private final String code;
  private final int layers;
  private final int dModel;
  private final int dFF;
  private final int dKV;
  private final int numHeads;

  BaseSize(String code, int layers, int dModel, int dFF, int dKV, int numHeads) {
    this.code = code;
    this.layers = layers;
    this.dModel = dModel;
    this.dFF = dFF;
    this.dKV = dKV;
    this.numHeads = numHeads;
  }

  /** The code the notation uses, for example {@code SM} in {@code NL16-SM}. */
  public String code() {
    return code;
  }

  /** The lower-case name used in manifests ({@code base: small}). */
  public String manifestName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The base shape with T5's SentencePiece vocabulary. */
  public Shape shape() {
    return new Shape(layers, layers, dModel, dFF, dKV, numHeads, numHeads, false, Shape.T5_VOCAB_SIZE);
  }

  public static Optional<BaseSize> fromCode(String code) {
    return Arrays.stream(values()).filter(b -> b.code.equals(code)).findFirst();
  }

  public static Optional<BaseSize> fromManifestName(String name) {
    return Arrays.stream(values()).filter(b -> b.manifestName().equals(name)).findFirst();
  }
}
