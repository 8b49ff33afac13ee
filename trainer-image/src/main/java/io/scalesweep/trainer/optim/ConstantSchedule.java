package io.scalesweep.trainer.optim;

/** One rate throughout, as T5 fine-tunes (0.001 with Adafactor). */
public record ConstantSchedule(double rate) implements LearningRateSchedule {

  public ConstantSchedule {
    if (!(rate > 0)) {
      throw new IllegalArgumentException("rate must be positive, got " + rate);
    }
  }

  @Override
  public float at(long step) {
    return (float) rate;
  }
}
