package io.scalesweep.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Projected keys and values {@code [batch, kvHeads, length, dKV]} of one attention block: what the
 * decoder caches between steps. With tied key-values (SKV) both are the same array.
 */
public record KeyValues(NDArray keys, NDArray values) implements AutoCloseable {

  public boolean tied() {
    return keys == values;
  }

  public long length() {
    return keys.getShape().get(2);
  }

  /** These followed by {@code next} along the sequence axis, in this one's manager. */
  public KeyValues append(KeyValues next) {
    NDArray k = keys.concat(next.keys, 2);
    return tied() ? new KeyValues(k, k) : new KeyValues(k, values.concat(next.values, 2));
  }

  public void attach(NDManager manager) {
    keys.attach(manager);
    values.attach(manager);
  }

  @Override
  public void close() {
    keys.close();
    values.close();
  }
}
