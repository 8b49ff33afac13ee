package io.scalesweep.operator.storage;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.StorageSpec;
import io.scalesweep.operator.common.SpecDefaults;
import io.scalesweep.storage.ObjectStore;
import java.io.IOException;
import java.util.Optional;

/**
 * A sweep's objects below its storage root, as keys relative to that root ({@code
 * <namespace>/<sweep>/...}),
 * and their deletion with the sweep when {@code deleteOnSweepDeletion} asks for it.
 */
public final class SweepObjects {

  private SweepObjects() {}

  /** The sweep's storage spec with defaults, or empty when it has none usable. */
  static Optional<StorageSpec> storage(ScalingSweep sweep) {
    if (sweep.getSpec() == null || sweep.getSpec().getStorage() == null || sweep.getSpec().getStorage().getUri() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(SpecDefaults.withDefaults(sweep.getSpec().getStorage(), StorageSpec.class, "spec.storage"));
    } catch (RuntimeException e) {
      // an invalid storage spec is reported by the InvalidSpec condition; nothing to gather
      return Optional.empty();
    }
  }

  /** {@code <namespace>/<sweep>/}, the sweep's folder below the storage root. */
  static String sweepKey(ScalingSweep sweep) {
    return StorageLayout.sweepKey(sweep.getMetadata().getNamespace(), sweep.getMetadata().getName());
  }

  static String trialKey(ScalingSweep sweep, String trial) {
    return sweepKey(sweep) + trial + "/";
  }

  static String catalogKey(ScalingSweep sweep) {
    return sweepKey(sweep) + StorageLayout.CATALOG_FILE;
  }

  static String ownerKey(ScalingSweep sweep) {
    return sweepKey(sweep) + StorageLayout.OWNER_FILE;
  }

  /** Whether deleting the sweep should delete its objects. */
  public static boolean deletedWithSweep(ScalingSweep sweep) {
    return storage(sweep).map(s -> Boolean.TRUE.equals(s.getDeleteOnSweepDeletion())).orElse(false);
  }

  /**
   * Deletes every object under {@code <storage>/<namespace>/<sweep>/} when its owner marker names
   * this sweep; idempotent (nothing there is done).
   *
   * @return the number deleted, or empty when the folder is not this sweep's (another owner, or no
   *     marker: then this sweep never wrote there), and nothing was deleted
   */
  public static Optional<Integer> delete(ScalingSweep sweep, KubernetesClient client) throws IOException {
    Optional<StorageSpec> spec = storage(sweep);
    if (spec.isEmpty()) {
      return Optional.of(0);
    }
    try (ObjectStore store = SweepStorage.open(client, sweep.getMetadata().getNamespace(), spec.get())) {
      if (!SweepOwnership.isOwnedBy(store, sweep)) {
        return Optional.empty();
      }
      return Optional.of(store.deletePrefix(sweepKey(sweep)));
    }
  }

  /** {@code <storage>/<namespace>/<sweep>/}, for messages. */
  public static String sweepUri(ScalingSweep sweep) {
    return storage(sweep)
        .map(s -> StorageLayout.sweepUri(s.getUri(), sweep.getMetadata().getNamespace(), sweep.getMetadata().getName()))
        .orElse("");
  }
}
