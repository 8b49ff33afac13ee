package io.scalesweep.trainer.model;

/**
 * The dropout rate every block of one model reads at each forward pass. Shared rather than fixed
 * at construction because one model pretrains (T5 1.1 and this trainer's default: no dropout) and
 * then fine-tunes (T5 1.0: 0.1) without being rebuilt.
 */
public final class DropoutRate {

  private float rate;

  public DropoutRate(float rate) {
    set(rate);
  }

  public float get() {
    return rate;
  }

  /** @throws IllegalArgumentException outside [0, 1), where dropout would drop everything */
  public void set(float rate) {
    if (!(rate >= 0f && rate < 1f)) {
      throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
    }
    this.rate = rate;
  }
}
