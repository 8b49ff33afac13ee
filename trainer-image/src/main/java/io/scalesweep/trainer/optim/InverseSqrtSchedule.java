package io.scalesweep.trainer.optim;

/**
 * T5's inverse-square-root rate: {@code peak * sqrt(warmup / max(step, warmup))}, which with peak
 * 0.01 and warm-up 10^4 is T5's {@code 1 / sqrt(max(step, 10^4))}. By default (as in T5) the rate
 * is constant at the peak during warm-up; with {@code linearWarmup} it rises linearly from 0
 * instead. A warm-up of 0 is read as 1, i.e. {@code peak / sqrt(step)}.
 */
public record InverseSqrtSchedule(double peak, long warmupSteps, boolean linearWarmup)
    implements LearningRateSchedule {

  public InverseSqrtSchedule {
    if (!(peak > 0) || warmupSteps < 0) {
      throw new IllegalArgumentException(
          "need peak > 0 and warmupSteps >= 0, got " + peak + ", " + warmupSteps);
    }
  }

  /** Peak 0.01, 10^4 steps at the peak, then {@code 1/sqrt(step)}. */
  public static InverseSqrtSchedule t5() {
    return new InverseSqrtSchedule(0.01, 10_000, false);
  }

  @Override
  public float at(long step) {
    long warmup = Math.max(warmupSteps, 1);
    long s = Math.max(step, 1);
    if (linearWarmup && s < warmup) {
      return (float) (peak * s / warmup);
    }
    return (float) (peak * Math.sqrt((double) warmup / Math.max(s, warmup)));
  }
}
