package io.scalesweep.trainer.train;

/**
 * What one optimizer step did.
 *
 * @param step 1-based number of the step just taken
 * @param loss mean cross-entropy per target token over the whole batch (all micro-batches)
 * @param learningRate rate the update used
 * @param gradientNorm global L2 norm of the gradients before clipping
 * @param tokens real (non-padding) input plus target tokens of the batch
 * @param seconds wall time of the step: data, forward, backward, update
 * @param repair what the step did about a non-finite loss or gradient
 * @param lossSum sum of the step losses since the previous observed step, this one included; 0
 *     on a step that was not observed ({@link TrainingLoop#step(boolean)}), whose loss and
 *     gradient norm are NaN
 * @param lossSteps how many steps {@code lossSum} adds up; 0 on a step that was not observed
 */
public record StepOutcome(
    long step,
    double loss,
    float learningRate,
    float gradientNorm,
    long tokens,
    double seconds,
    StepRepair repair,
    double lossSum,
    int lossSteps) {

  /** An observed step that is its own window. */
  public StepOutcome(
      long step,
      double loss,
      float learningRate,
      float gradientNorm,
      long tokens,
      double seconds,
      StepRepair repair) {
    this(step, loss, learningRate, gradientNorm, tokens, seconds, repair, loss, 1);
  }
}
