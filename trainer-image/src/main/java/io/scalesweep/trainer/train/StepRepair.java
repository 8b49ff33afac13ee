package io.scalesweep.trainer.train;

/** What a training step had to do about a loss or gradient that was not a finite number. */
public enum StepRepair {
  /** Nothing: loss and gradient were finite. */
  NONE,
  /**
   * The first computation gave a non-finite loss or gradient, and a second one of the same batch
   * with the same weights did not: the first one read memory it should not have (a bug, not the
   * recipe). The step went on with the second computation.
   */
  RECOMPUTED,
  /** The gradient was not finite, twice, while the loss was: the update was skipped. */
  SKIPPED
}
