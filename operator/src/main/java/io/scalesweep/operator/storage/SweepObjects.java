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
 * A sweep's objects below its storage root, as keys relative to that root ({@code <sweep>/...}),
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

  static String sweepKey(String sweep) {
    return sweep + "/";
  }

  static String trialKey(String sweep, String trial) {
    return sweepKey(sweep) + trial + "/";
  }

  static String catalogKey(String sweep) {
    return sweepKey(sweep) + StorageLayout.CATALOG_FILE;
  }

  /** Whether deleting the sweep should delete its objects. */
  public static boolean deletedWithSweep(ScalingSweep sweep) {
    return storage(sweep).map(s -> Boolean.TRUE.equals(s.getDeleteOnSweepDeletion())).orElse(false);
  }

  /**
   * Deletes every object under {@code <storage>/<sweep>/}; idempotent (nothing there is done).
   * Returns the number deleted.
   */
  public static int delete(ScalingSweep sweep, KubernetesClient client) throws IOException {
    Optional<StorageSpec> spec = storage(sweep);
    if (spec.isEmpty()) {
      return 0;
    }
    try (ObjectStore store = SweepStorage.open(client, sweep.getMetadata().getNamespace(), spec.get())) {
      return store.deletePrefix(sweepKey(sweep.getMetadata().getName()));
    }
  }

  /** {@code <storage>/<sweep>/}, for messages. */
  public static String sweepUri(ScalingSweep sweep) {
    return storage(sweep).map(s -> StorageLayout.sweepUri(s.getUri(), sweep.getMetadata().getName())).orElse("");
  }
}
