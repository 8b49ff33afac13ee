package io.scalesweep.trainer.sweep;

import io.scalesweep.api.catalog.CatalogEntry;
import io.scalesweep.api.v1alpha1.KeepCheckpoints;
import io.scalesweep.trainer.train.CheckpointStore;
import io.scalesweep.trainer.train.TrialOutput;
import java.io.IOException;
import java.util.List;

/**
 * Prunes a finished trial's checkpoints as {@code storage.keepCheckpoints} asks: {@code all}
 * keeps them, {@code final} keeps the last one, {@code pareto} keeps the last one of trials on a
 * Pareto frontier only. Unfinished trials keep everything, since they resume from there.
 */
final class CheckpointRetention {

  private CheckpointRetention() {}

  /** Returns the step of the checkpoint left in place, or -1 when none is. */
  static long apply(KeepCheckpoints policy, CatalogEntry trial, TrialOutput output) throws IOException {
    CheckpointStore checkpoints = new CheckpointStore(output);
    List<Long> steps = checkpoints.steps();
    if (steps.isEmpty()) {
      return -1;
    }
    long last = steps.stream().mapToLong(Long::longValue).max().orElseThrow();
    if (trial.result() == null || policy == KeepCheckpoints.ALL) {
      return last;
    }
    boolean keepLast = policy == KeepCheckpoints.FINAL || (trial.pareto() != null && !trial.pareto().isEmpty());
    for (long step : steps) {
      if (step != last || !keepLast) {
        checkpoints.delete(step);
      }
    }
    return keepLast ? last : -1;
  }
}
