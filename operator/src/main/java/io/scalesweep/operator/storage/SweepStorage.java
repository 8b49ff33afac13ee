package io.scalesweep.operator.storage;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalesweep.api.v1alpha1.StorageSpec;
import io.scalesweep.storage.ObjectStore;
import io.scalesweep.storage.ObjectStores;
import io.scalesweep.storage.StorageOptions;
import java.time.Duration;

/** Opens the object store a sweep's {@code spec.storage} names, with its credentials. */
public final class SweepStorage {

  /**
   * Few, quick retries: the operator calls storage from a reconciler thread, and a failure becomes
   * a condition and a later reconciliation rather than a long block.
   */
  private static final int ATTEMPTS = 2;
  private static final Duration RETRY_DELAY = Duration.ofMillis(100);

  private SweepStorage() {}

  /** The store rooted at {@code spec.uri}; the caller closes it. */
  public static ObjectStore open(KubernetesClient client, String namespace, StorageSpec spec) {
    StorageOptions options = StorageCredentials.options(client, namespace, spec).withRetries(ATTEMPTS, RETRY_DELAY);
    return ObjectStores.open(spec.getUri(), options);
  }
}
