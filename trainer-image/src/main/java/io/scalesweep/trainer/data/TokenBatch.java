package io.scalesweep.trainer.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.List;

/**
 * A padded batch of span-corruption examples, row-major {@code [size, length]} int arrays. The
 * decoder reads the targets shifted right behind a PAD start token (T5's teacher forcing); masks
 * are 1 on real tokens, and {@code decoderMask} is also the loss mask.
 */
public record TokenBatch(
    int size,
    int inputLength,
    int targetLength,
    int[] encoderInput,
    int[] encoderMask,
    int[] decoderInput,
    int[] targets,
    int[] decoderMask) {

  /** NDList order of {@link #toNDList}. */
  public static final List<String> NAMES =
      List.of("encoder_input", "encoder_mask", "decoder_input", "targets", "decoder_mask");

  /** Pads each example; an example longer than the lengths is a bug upstream, so it throws. */
  public static TokenBatch of(List<Example> examples, int inputLength, int targetLength, int padId) {
    int size = examples.size();
    int[] encIn = filled(size * inputLength, padId);
    int[] encMask = new int[size * inputLength];
    int[] decIn = filled(size * targetLength, padId);
    int[] tgt = filled(size * targetLength, padId);
    int[] decMask = new int[size * targetLength];
    for (int row = 0; row < size; row++) {
      Example e = examples.get(row);
      if (e.inputs().length > inputLength || e.targets().length > targetLength) {
        throw new IllegalStateException(
            "example of " + e.inputs().length + "/" + e.targets().length
                + " tokens does not fit " + inputLength + "/" + targetLength);
      }
      int in = row * inputLength;
      System.arraycopy(e.inputs(), 0, encIn, in, e.inputs().length);
      Arrays.fill(encMask, in, in + e.inputs().length, 1);
      int out = row * targetLength;
      System.arraycopy(e.targets(), 0, tgt, out, e.targets().length);
      // decoder input position 0 keeps PAD, the start token
      System.arraycopy(e.targets(), 0, decIn, out + 1, Math.min(e.targets().length, targetLength - 1));
      Arrays.fill(decMask, out, out + e.targets().length, 1);
    }
    return new TokenBatch(size, inputLength, targetLength, encIn, encMask, decIn, tgt, decMask);
  }

  /**
   * Rows each holding several examples one after another, as T5 packs fine-tuning data: the masks
   * number a row's examples (1, 2, ...; 0 for padding) so the model keeps them apart, and each
   * example's decoder input starts with its own start token.
   *
   * @param rows the examples of each row, in order; each row's total must fit the lengths
   */
  public static TokenBatch packed(
      List<List<Example>> rows, int inputLength, int targetLength, int padId) {
    int size = rows.size();
    int[] encIn = filled(size * inputLength, padId);
    int[] encMask = new int[size * inputLength];
    int[] decIn = filled(size * targetLength, padId);
    int[] tgt = filled(size * targetLength, padId);
    int[] decMask = new int[size * targetLength];
    for (int row = 0; row < size; row++) {
      int in = row * inputLength;
      int out = row * targetLength;
      int inEnd = in + inputLength;
      int outEnd = out + targetLength;
      int segment = 0;
      for (Example e : rows.get(row)) {
        segment++;
        if (in + e.inputs().length > inEnd || out + e.targets().length > outEnd) {
          throw new IllegalStateException(
              "row " + row + " does not fit " + inputLength + "/" + targetLength + " tokens");
        }
        System.arraycopy(e.inputs(), 0, encIn, in, e.inputs().length);
        Arrays.fill(encMask, in, in + e.inputs().length, segment);
        System.arraycopy(e.targets(), 0, tgt, out, e.targets().length);
        // position `out` keeps PAD, this example's start token; the last target is never input
        System.arraycopy(e.targets(), 0, decIn, out + 1, e.targets().length - 1);
        Arrays.fill(decMask, out, out + e.targets().length, segment);
        in += e.inputs().length;
        out += e.targets().length;
      }
    }
    return new TokenBatch(size, inputLength, targetLength, encIn, encMask, decIn, tgt, decMask);
  }

  /** Whether some row holds more than one example ({@link #packed}). */
  public boolean packed() {
    for (int m : decoderMask) {
      if (m > 1) {
        return true;
      }
    }
    return false;
  }

  /** Real (non-padding) encoder plus decoder target tokens, for throughput figures. */
  public long tokenCount() {
    return targetTokens() + count(encoderMask);
  }

  /** Decoder target tokens that count in the loss. */
  public long targetTokens() {
    return count(decoderMask);
  }

  private static long count(int[] mask) {
    long n = 0;
    for (int m : mask) {
      if (m != 0) {
        n++;
      }
    }
    return n;
  }

  /** Whether any encoder position is padding (else its mask can be left out: adding 0 is a no-op). */
  public boolean encoderPadded() {
    return hasZero(encoderMask);
  }

  /** Whether any decoder position is padding. */
  public boolean decoderPadded() {
    return hasZero(decoderMask);
  }

  /**
   * The five arrays as int32 NDArrays of shape {@code [size, length]} in the given manager, named
   * and ordered as {@link #NAMES}.
   */
  public NDList toNDList(NDManager manager) {
    return toNDList(manager, DataType.INT32);
  }

  /**
   * As {@link #toNDList(NDManager)} in another integer type (PyTorch's gather wants int64): one
   * upload in that type, split on the device, so an accelerator sees one copy per batch.
   */
  public NDList toNDList(NDManager manager, DataType type) {
    int in = size * inputLength;
    int out = size * targetLength;
    int[][] parts = {encoderInput, encoderMask, decoderInput, targets, decoderMask};
    long[] ends = new long[parts.length - 1];
    NDArray all;
    if (type == DataType.INT64) {
      long[] buffer = new long[2 * in + 3 * out];
      int at = 0;
      for (int i = 0; i < parts.length; i++) {
        for (int v : parts[i]) {
          buffer[at++] = v;
        }
        if (i < ends.length) {
          ends[i] = at;
        }
      }
      all = manager.create(buffer);
    } else {
      int[] buffer = new int[2 * in + 3 * out];
      int at = 0;
      for (int i = 0; i < parts.length; i++) {
        System.arraycopy(parts[i], 0, buffer, at, parts[i].length);
        at += parts[i].length;
        if (i < ends.length) {
          ends[i] = at;
        }
      }
      all = manager.create(buffer);
      if (type != DataType.INT32) {
        NDArray typed = all.toType(type, false);
        all.close();
        all = typed;
      }
    }
    NDList split = all.split(ends);
    NDList named = new NDList(parts.length);
    for (int i = 0; i < parts.length; i++) {
      NDArray a = split.get(i).reshape(size, i < 2 ? inputLength : targetLength);
      a.setName(NAMES.get(i));
      named.add(a);
    }
    split.close();
    // `all` stays open: an array created from Java data points into a Java buffer that only it
    // keeps from the garbage collector, and the five views read that memory
    return named;
  }

  private static boolean hasZero(int[] mask) {
    for (int m : mask) {
      if (m == 0) {
        return true;
      }
    }
    return false;
  }

  private static int[] filled(int n, int value) {
    int[] a = new int[n];
    if (value != 0) {
      Arrays.fill(a, value);
    }
    return a;
  }
}
