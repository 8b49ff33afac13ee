package io.scalesweep.trainer.tasks;

import io.scalesweep.trainer.data.Example;
import io.scalesweep.trainer.data.TokenBatch;
import io.scalesweep.trainer.data.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Text-to-text examples as token batches: input and target tokenized, cut to the recipe's lengths
 * with room for the EOS each ends with, as T5's fine-tuning features are. A batch is padded to its
 * longest row rather than to the maximum lengths: task inputs are mostly much shorter than the
 * limit, and the padding would be computed for nothing.
 */
public final class TextBatcher {

  private final Tokenizer tokenizer;
  private final int inputLength;
  private final int targetLength;

  /**
   * @param inputLength most encoder tokens, EOS included
   * @param targetLength most decoder tokens, EOS included
   */
  public TextBatcher(Tokenizer tokenizer, int inputLength, int targetLength) {
    if (inputLength < 2 || targetLength < 1) {
      throw new IllegalArgumentException(
          "lengths must leave room for EOS: input " + inputLength + ", target " + targetLength);
    }
    this.tokenizer = tokenizer;
    this.inputLength = inputLength;
    this.targetLength = targetLength;
  }

  /** The encoder's tokens of an input: cut to {@code inputLength - 1}, then EOS. */
  public int[] input(String text) {
    return terminated(tokenizer.encode(text), inputLength);
  }

  /** The decoder's targets: cut to {@code targetLength - 1}, then EOS. */
  public int[] target(String text) {
    return terminated(tokenizer.encode(text), targetLength);
  }

  /** Whether a target fits whole; one that does not can never be decoded exactly. */
  public boolean targetFits(String text) {
    return tokenizer.encode(text).length < targetLength;
  }

  /** A teacher-forced training batch. */
  public TokenBatch batch(List<TextExample> examples) {
    List<Example> encoded = new ArrayList<>(examples.size());
    int longestInput = 1;
    int longestTarget = 1;
    for (TextExample e : examples) {
      Example x = new Example(input(e.input()), target(e.target()));
      longestInput = Math.max(longestInput, x.inputs().length);
      longestTarget = Math.max(longestTarget, x.targets().length);
      encoded.add(x);
    }
    return TokenBatch.of(encoded, longestInput, longestTarget, tokenizer.padId());
  }

  /**
   * {@code rows} rows of examples drawn from {@code next} and packed one after another while they
   * fit the lengths ({@link TokenBatch#packed}). The example that no longer fits the last row is
   * dropped rather than kept for the next batch, so that where the source stands after a batch is
   * all a checkpoint needs to draw the same batches again.
   */
  public TokenBatch packedBatch(Supplier<TextExample> next, int rows) {
    List<List<Example>> packed = new ArrayList<>(rows);
    List<Example> row = new ArrayList<>();
    int inputs = 0;
    int targets = 0;
    while (packed.size() < rows) {
      TextExample e = next.get();
      Example x = new Example(input(e.input()), target(e.target()));
      if (!row.isEmpty()
          && (inputs + x.inputs().length > inputLength
              || targets + x.targets().length > targetLength)) {
        packed.add(row);
        row = new ArrayList<>();
        inputs = 0;
        targets = 0;
        if (packed.size() == rows) {
          break;
        }
      }
      row.add(x);
      inputs += x.inputs().length;
      targets += x.targets().length;
    }
    return TokenBatch.packed(packed, inputLength, targetLength, tokenizer.padId());
  }

  /**
   * Encoder inputs for decoding, padded to the longest: {@code ids[0]} the tokens and {@code
   * ids[1]} the mask (1 on real tokens), each {@code rows x longest}.
   */
  public int[][][] inputs(List<String> texts) {
    int[][] rows = new int[texts.size()][];
    int longest = 1;
    for (int i = 0; i < rows.length; i++) {
      rows[i] = input(texts.get(i));
      longest = Math.max(longest, rows[i].length);
    }
    int[][] ids = new int[rows.length][longest];
    int[][] mask = new int[rows.length][longest];
    for (int i = 0; i < rows.length; i++) {
      Arrays.fill(ids[i], tokenizer.padId());
      System.arraycopy(rows[i], 0, ids[i], 0, rows[i].length);
      Arrays.fill(mask[i], 0, rows[i].length, 1);
    }
    return new int[][][] {ids, mask};
  }

  /** The text of a decoded row: the start token dropped, cut at the first EOS. */
  public String text(long[] decoded) {
    int[] ids = new int[decoded.length];
    int n = 0;
    for (int i = 1; i < decoded.length && decoded[i] != tokenizer.eosId(); i++) {
      ids[n++] = Math.toIntExact(decoded[i]);
    }
    return tokenizer.decode(Arrays.copyOf(ids, n));
  }

  public int targetLength() {
    return targetLength;
  }

  private int[] terminated(int[] tokens, int limit) {
    int kept = Math.min(tokens.length, limit - 1);
    int[] out = Arrays.copyOf(tokens, kept + 1);
    out[kept] = tokenizer.eosId();
    return out;
  }
}
