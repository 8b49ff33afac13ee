package io.scalesweep.trainer.model;

import ai.djl.ndarray.NDManager;
import java.util.function.Supplier;

/**
 * What incremental decoding keeps between steps: per decoder layer the self-attention keys and
 * values of every position decoded so far, and the cross-attention keys and values of the encoder
 * output (projected once). Owns a manager of its own, so the per-step managers of the caller can
 * close after each step while the cache lives on; closing the cache frees it all.
 */
public final class DecoderCache implements AutoCloseable {

  private final NDManager manager;
  private final KeyValues[] self;
  private final KeyValues[] cross;
  private int length;

  public DecoderCache(NDManager parent, int decoderLayers) {
    manager = parent.newSubManager();
    self = new KeyValues[decoderLayers];
    cross = new KeyValues[decoderLayers];
  }

  /** Decoder positions already cached: the absolute position of the next token. */
  public int length() {
    return length;
  }

  KeyValues appendSelf(int layer, KeyValues next) {
    KeyValues previous = self[layer];
    KeyValues merged;
    if (previous == null) {
      merged = next;
      merged.attach(manager);
    } else {
      // concat puts its result beside its first operand: in this cache's manager.
      merged = previous.append(next);
      previous.close();
    }
    self[layer] = merged;
    return merged;
  }

  KeyValues cross(int layer, Supplier<KeyValues> projection) {
    if (cross[layer] == null) {
      cross[layer] = projection.get();
      cross[layer].attach(manager);
    }
    return cross[layer];
  }

  void advance(int positions) {
    length += positions;
  }

  @Override
  public void close() {
    manager.close();
  }
}
