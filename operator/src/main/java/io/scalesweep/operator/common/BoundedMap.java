package io.scalesweep.operator.common;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Maps that forget their least recently used entry, so what the operator remembers stays flat. */
public final class BoundedMap {

  private BoundedMap() {}

  /** A thread-safe map holding at most {@code capacity} entries, dropping the least recently used. */
  public static <K, V> Map<K, V> synchronizedLru(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    return Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
      }
    });
  }
}
