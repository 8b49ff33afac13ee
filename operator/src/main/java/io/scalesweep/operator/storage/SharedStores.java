package io.scalesweep.operator.storage;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalesweep.api.v1alpha1.StorageSpec;
import io.scalesweep.operator.common.Json;
import io.scalesweep.storage.ObjectStore;
import io.scalesweep.storage.ObjectStores;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Object stores for reads the operator repeats every minute for every running trial (live
 * progress): one store per namespace and storage spec, opened with the credentials its Secret
 * held then and reopened after {@link #REOPEN_AFTER}, so a rotated key is picked up within that
 * time. Without it each read would open a new S3 client and read the Secret again: at 500
 * running trials, 500 clients and 500 Secret GETs a minute.
 */
public final class SharedStores implements AutoCloseable {

  static final Duration REOPEN_AFTER = Duration.ofMinutes(5);
  /** Bounded, so that namespaces and storage specs that come and go cannot pile up clients. */
  static final int MAX_STORES = 64;

  private record Opened(ObjectStore store, Instant at) {}

  private final Map<String, Opened> stores = new LinkedHashMap<>(16, 0.75f, true);

  /**
   * The store rooted at {@code spec.uri} for {@code namespace}, opened now or reused.
   *
   * @throws StorageUnavailableException when its Secret is missing or incomplete
   */
  public synchronized ObjectStore get(KubernetesClient client, String namespace, StorageSpec spec, Instant now) {
    String key = namespace + "\n" + Json.write(spec);
    Opened opened = stores.get(key);
    if (opened != null && now.isBefore(opened.at().plus(REOPEN_AFTER))) {
      return opened.store();
    }
    ObjectStore store = ObjectStores.open(spec.getUri(), StorageCredentials.options(client, namespace, spec));
    put(key, new Opened(store, now));
    return store;
  }

  /** How many stores are open now. */
  public synchronized int size() {
    return stores.size();
  }

  private void put(String key, Opened opened) {
    // A store replaced or evicted may still serve a read on another thread: that read fails and
    // the caller keeps what it knew, which for advisory progress is the right thing anyway.
    Opened previous = stores.put(key, opened);
    if (previous != null) {
      previous.store().close();
    }
    while (stores.size() > MAX_STORES) {
      var eldest = stores.entrySet().iterator().next();
      stores.remove(eldest.getKey());
      eldest.getValue().store().close();
    }
  }

  @Override
  public synchronized void close() {
    stores.values().forEach(o -> o.store().close());
    stores.clear();
  }
}
