package io.scalesweep.trainer.optim;

/** The learning rate of each update. */
public interface LearningRateSchedule {

  /**
   * @param step 1-based number of the update about to be applied (the optimiser's {@code
   *     steps() + 1})
   */
  float at(long step);
}
