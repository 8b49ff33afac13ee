package io.scalesweep.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import java.util.Arrays;

/**
 * Greedy decoding from a T5 model: start from the pad token, append the most likely token, stop
 * when every row has produced EOS (later positions of a finished row are padding) or after a
 * maximum number of tokens. The cached path decodes one position per step over a
 * {@link DecoderCache}; the uncached one recomputes the whole prefix each step and is kept as the
 * reference the cache is tested against.
 */
public final class GreedyDecoder {

  private final T5Model model;
  private final ParameterStore parameterStore;

  public GreedyDecoder(T5Model model, ParameterStore parameterStore) {
    this.model = model;
    this.parameterStore = parameterStore;
  }

  /**
   * Token ids per row, the start token first. All arrays made on the way live in sub-managers
   * closed before returning, so the caller's managers stay as they were.
   */
  public long[][] decode(NDArray inputIds, NDArray inputMask, int maxTokens, boolean useCache) {
    int rows = Math.toIntExact(inputIds.getShape().get(0));
    long[][] decoded = new long[rows][1];
    boolean[] done = new boolean[rows];
    try (NDManager generation = inputIds.getManager().newSubManager()) {
      inputIds.tempAttach(generation);
      if (inputMask != null) {
        inputMask.tempAttach(generation);
      }
      NDArray encoded = model.encode(parameterStore, inputIds, inputMask, false);
      try (DecoderCache cache = useCache ? model.newCache(generation) : null) {
        for (int step = 0; step < maxTokens && !allDone(done); step++) {
          long[] next = nextTokens(generation, decoded, encoded, inputMask, cache);
          for (int r = 0; r < rows; r++) {
            long token = done[r] ? T5Model.PAD_ID : next[r];
            decoded[r] = Arrays.copyOf(decoded[r], decoded[r].length + 1);
            decoded[r][decoded[r].length - 1] = token;
            done[r] |= token == T5Model.EOS_ID;
          }
        }
      }
    }
    return decoded;
  }

  private long[] nextTokens(
      NDManager generation,
      long[][] decoded,
      NDArray encoded,
      NDArray inputMask,
      DecoderCache cache) {
    try (NDManager step = generation.newSubManager()) {
      // Whatever is computed from the encoder side each step (its padding mask) is freed with
      // the step; the cache keeps what it needs in its own manager.
      encoded.tempAttach(step);
      if (inputMask != null) {
        inputMask.tempAttach(step);
      }
      NDArray ids = step.create(cache == null ? decoded : lastColumn(decoded));
      NDArray logits = model.decode(parameterStore, ids, null, encoded, inputMask, cache, false);
      long last = logits.getShape().get(1) - 1;
      return logits.get(new NDIndex(":, {}, :", last)).argMax(-1).toLongArray();
    }
  }

  private static long[][] lastColumn(long[][] decoded) {
    long[][] column = new long[decoded.length][1];
    for (int r = 0; r < decoded.length; r++) {
      column[r][0] = decoded[r][decoded[r].length - 1];
    }
    return column;
  }

  private static boolean allDone(boolean[] done) {
    for (boolean d : done) {
      if (!d) {
        return false;
      }
    }
    return true;
  }
}
