package io.scalesweep.trainer.train;

/**
 * Dynamic loss scaling for mixed-precision (fp16) training: the loss is multiplied by {@link
 * #scale()} before the backward pass so that small gradients do not underflow fp16, and the fp32
 * gradients are divided by it again before anything reads them. A gradient that overflowed (not
 * finite under a finite loss) skips its update and halves the scale; every {@code growthInterval}
 * updates in a row without one double it. The scale is always a power of two, so scaling and
 * unscaling are exact in fp32.
 *
 * <p>Its state is part of a checkpoint: a resumed run scales exactly as an uninterrupted one.
 */
public final class LossScaler {

  /** 2^15: fp16's largest value is about 2^16, a per-token loss about 1. */
  public static final float INITIAL_SCALE = 0x1p15f;

  /** Updates without an overflow before the scale doubles, as PyTorch's GradScaler. */
  public static final int GROWTH_INTERVAL = 2000;

  /**
   * The scale does not back off below 1: an overflow at scale 1 is not one that scaling caused, and
   * the trainer's usual handling of a non-finite gradient takes over.
   */
  public static final float MIN_SCALE = 1f;

  /**
   * What a checkpoint keeps.
   *
   * @param scale the current scale, a power of two
   * @param goodSteps updates in a row since the scale last changed
   */
  public record State(float scale, int goodSteps) {
    public State {
      if (!(scale >= MIN_SCALE) || Float.isInfinite(scale) || goodSteps < 0) {
        throw new IllegalArgumentException(
            "loss scale state " + scale + " / " + goodSteps + " is not a valid state");
      }
    }
  }

  private final int growthInterval;
  private float scale;
  private int goodSteps;

  /** Starting at {@link #INITIAL_SCALE}, growing every {@link #GROWTH_INTERVAL} good updates. */
  public LossScaler() {
    this(new State(INITIAL_SCALE, 0), GROWTH_INTERVAL);
  }

  /** Continuing from {@code state} (a checkpoint's, or a chosen start). */
  public LossScaler(State state, int growthInterval) {
    if (growthInterval < 1) {
      throw new IllegalArgumentException("growthInterval must be at least 1, got " + growthInterval);
    }
    this.growthInterval = growthInterval;
    this.scale = state.scale();
    this.goodSteps = state.goodSteps();
  }

  /** The factor the loss is multiplied by before the backward pass. */
  public float scale() {
    return scale;
  }

  /** An update was applied: after {@code growthInterval} of them in a row the scale doubles. */
  void applied() {
    goodSteps++;
    if (goodSteps >= growthInterval) {
      goodSteps = 0;
      float grown = scale * 2;
      if (Float.isFinite(grown)) {
        scale = grown;
      }
    }
  }

  /**
   * The gradient overflowed: halves the scale, unless it is already at {@link #MIN_SCALE}.
   *
   * @return whether the scale was halved; false when the overflow is not one scaling can cure
   */
  boolean backOff() {
    goodSteps = 0;
    if (scale <= MIN_SCALE) {
      return false;
    }
    scale = Math.max(MIN_SCALE, scale / 2);
    return true;
  }

  public State state() {
    return new State(scale, goodSteps);
  }
}
