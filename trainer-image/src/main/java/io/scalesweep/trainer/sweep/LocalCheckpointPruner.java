package io.scalesweep.trainer.sweep;

import io.scalesweep.api.catalog.CatalogEntry;
import io.scalesweep.api.catalog.CheckpointRetention;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.v1alpha1.KeepCheckpoints;
import io.scalesweep.trainer.train.TrialOutput;
import java.io.IOException;

/**
 * Applies {@code storage.keepCheckpoints} to the trials of a local sweep, with the same plan the
 * operator applies in a cluster. Unfinished trials keep everything: they resume from there.
 */
final class LocalCheckpointPruner {

  private static final String CHECKPOINTS = StorageLayout.CHECKPOINTS_DIR + "/";

  private LocalCheckpointPruner() {}

  /** Returns the folder of the checkpoint left in place (relative to the trial), or null. */
  static String prune(KeepCheckpoints policy, CatalogEntry trial, TrialOutput output) throws IOException {
    boolean onFrontier = trial.pareto() != null && !trial.pareto().isEmpty();
    KeepCheckpoints effective = trial.result() == null ? KeepCheckpoints.ALL : policy;
    CheckpointRetention.Plan plan =
        CheckpointRetention.plan(effective, CHECKPOINTS, output.list(CHECKPOINTS), onFrontier);
    for (String folder : plan.discard()) {
      // manifest first, so a half-deleted checkpoint never looks complete
      output.deleteAll(folder + StorageLayout.CHECKPOINT_MANIFEST);
      output.deleteAll(folder);
    }
    return plan.kept();
  }
}
