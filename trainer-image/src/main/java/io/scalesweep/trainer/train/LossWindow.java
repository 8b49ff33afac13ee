package io.scalesweep.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The losses of the steps since the last observed one, summed on the device in float64, so that a
 * step nobody looks at reads nothing back, and the logged mean still covers every step.
 */
final class LossWindow {

  private final NDManager manager;
  /** One array for the whole run, reset in place, so the live-array count stays flat. */
  private NDArray sum;
  private int steps;

  /** @param manager where the one sum array lives (closed with the run, not with a step) */
  LossWindow(NDManager manager) {
    this.manager = manager;
  }

  /** Adds a step's loss (a scalar on the device) without reading it back. */
  void add(NDArray loss) {
    if (sum == null) {
      sum = manager.zeros(new Shape(), DataType.FLOAT64, loss.getDevice());
    }
    sum.addi(loss);
    steps++;
  }

  /** The window's sum and step count, read back (one host synchronisation); starts a new one. */
  Drained drain() {
    Drained drained = new Drained(sum == null ? 0 : sum.getDouble(), steps);
    if (sum != null) {
      sum.muli(0);
    }
    steps = 0;
    return drained;
  }

  record Drained(double lossSum, int lossSteps) {}
}
