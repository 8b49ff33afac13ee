package io.scalesweep.operator.storage;

import io.scalesweep.api.catalog.CheckpointRetention;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.v1alpha1.KeepCheckpoints;
import io.scalesweep.storage.MarkedFolder;
import io.scalesweep.storage.ObjectStore;
import java.io.IOException;

/** Applies {@link CheckpointRetention} to one finished trial's checkpoints in storage. */
final class CheckpointPruner {

  private CheckpointPruner() {}

  /**
   * Deletes the checkpoints the policy does not keep, each manifest first (so a half-deleted one
   * never looks complete); idempotent. Returns the URI of the checkpoint kept, or null.
   *
   * @param trialKey the trial's folder key, ending with '/'
   */
  static String prune(ObjectStore store, String trialKey, KeepCheckpoints policy, boolean onFrontier) throws IOException {
    String prefix = trialKey + StorageLayout.CHECKPOINTS_DIR + "/";
    CheckpointRetention.Plan plan = CheckpointRetention.plan(policy, prefix, store.list(prefix), onFrontier);
    for (String folder : plan.discard()) {
      MarkedFolder.of(store, folder, StorageLayout.CHECKPOINT_MANIFEST).discard();
    }
    // uriOf takes object keys, which never end with '/': the folder URI is the root plus its prefix
    return plan.kept() == null ? null : store.root() + plan.kept();
  }
}
