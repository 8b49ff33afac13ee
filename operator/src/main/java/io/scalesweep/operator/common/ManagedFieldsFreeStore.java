package io.scalesweep.operator.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * An informer cache that drops {@code metadata.managedFields} from what it keeps. Server-side
 * apply records one entry per field manager (the operator's apply, its status apply, the Job
 * controller, Kueue, the kubelet), and deserialised into nested maps they were about half of a
 * cached TrainingJob, Job or pod. Nothing here reads them: every dependent is create-only, so
 * JOSDK never matches a desired object against the cached one, and status is applied from a
 * fresh object. The memory goes with the number of trials, so they are the part worth dropping.
 *
 * @param <R> the cached kind
 */
public class ManagedFieldsFreeStore<R extends HasMetadata> implements ItemStore<R> {

  private final ConcurrentHashMap<String, R> items = new ConcurrentHashMap<>();

  @Override
  public String getKey(R item) {
    return Cache.metaNamespaceKeyFunc(item);
  }

  @Override
  public R put(String key, R item) {
    return items.put(key, kept(item));
  }

  /**
   * What the cache keeps of {@code item}: here the item without its managed fields. The informer
   * hands each object, freshly deserialised and seen by no one yet, to its store before any
   * handler, so it may be changed in place.
   */
  protected R kept(R item) {
    item.getMetadata().setManagedFields(null);
    return item;
  }

  @Override
  public R remove(String key) {
    return items.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet().stream();
  }

  @Override
  public Stream<R> values() {
    return items.values().stream();
  }

  @Override
  public R get(String key) {
    return items.get(key);
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public boolean isFullState() {
    return true;
  }
}
