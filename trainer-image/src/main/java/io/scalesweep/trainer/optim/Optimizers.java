package io.scalesweep.trainer.optim;

import io.scalesweep.api.v1alpha1.Optimizer;
import io.scalesweep.api.v1alpha1.PretrainSpec;

/** The optimiser and schedule a pretraining recipe names. */
public final class Optimizers {

  private Optimizers() {}

  /** Adafactor with T5's settings when the recipe names none. */
  public static StatefulOptimizer create(Optimizer kind) {
    return kind == Optimizer.ADAMW ? new AdamW() : Adafactor.t5();
  }

  /** Inverse square root from {@code learningRate} and {@code warmupSteps} (T5's defaults). */
  public static LearningRateSchedule pretrainSchedule(PretrainSpec spec) {
    double peak = spec.getLearningRate() == null ? 0.01 : spec.getLearningRate();
    long warmup = spec.getWarmupSteps() == null ? 10_000 : spec.getWarmupSteps();
    return new InverseSqrtSchedule(peak, warmup, false);
  }
}
