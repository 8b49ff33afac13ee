package io.scalesweep.api.shape;

/**
 * The scaling operators of the paper's Table 2. Each one changes one knob of a shape; {@link
 * #SKV} is a switch and takes no value.
 */
public enum ScalingOp {
  /** Layers of both stacks: {@code NL16} means 16 encoder and 16 decoder layers. */
  NL,
  /** Encoder layers only. */
  EL,
  /** Decoder layers only. */
  DL,
  /** d_model, the width of the residual stream. */
  DM,
  /** d_kv, the width of each attention head. */
  KV,
  /** Number of attention heads. */
  NH,
  /** d_ff, the inner width of the feed-forward blocks. */
  FF,
  /** Shared heads: the number of key/value heads all query heads share (1 = multi-query). */
  SH,
  /** Tied key-values: keys and values come from one projection. */
  SKV;

  /** Whether the operator needs a value ({@code NL16}) or is a bare switch ({@code SKV}). */
  public boolean takesValue() {
    return this != SKV;
  }

  /**
   * Applies this operator to a shape.
   *
   * @param value the operator's value; ignored for {@link #SKV}
   * @throws ShapeException when the result is not a valid shape
   */
  public Shape apply(Shape shape, int value) {
    return switch (this) {
      case NL -> shape.withEncoderLayers(value).withDecoderLayers(value);
      case EL -> shape.withEncoderLayers(value);
      case DL -> shape.withDecoderLayers(value);
      case DM -> shape.withDModel(value);
      case KV -> shape.withDKV(value);
      case NH -> shape.withNumHeads(value);
      case FF -> shape.withDFF(value);
      case SH -> shape.withKvHeads(value);
      case SKV -> shape.withTiedKV(true);
    };
  }
}
