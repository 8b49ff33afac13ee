package io.scalesweep.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.scalesweep.trainer.data.ByteTokenizer;
import io.scalesweep.trainer.data.Example;
import io.scalesweep.trainer.data.TokenBatch;
import io.scalesweep.trainer.tasks.TextBatcher;
import io.scalesweep.trainer.tasks.TextExample;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Packing as T5 does it: several examples share a row, every token of each is kept, and the
 * masks keep them apart, so each example's logits are those it gets alone in its row.
 */
class PackedRowsTest {

  private static final io.scalesweep.api.shape.Shape SHAPE =
      new io.scalesweep.api.shape.Shape(2, 2, 32, 64, 8, 4, 4, false, 384);

  private static final List<Example> EXAMPLES =
      List.of(
          new Example(new int[] {7, 8, 9, 1}, new int[] {20, 21, 1}),
          new Example(new int[] {10, 11, 1}, new int[] {22, 1}),
          new Example(new int[] {12, 13, 14, 15, 1}, new int[] {23, 24, 25, 1}));

  @Test
  void aPackedRowKeepsEveryTokenAndNumbersItsExamples() {
    TokenBatch row = TokenBatch.packed(List.of(EXAMPLES), 14, 10, 0);

    assertThat(row.encoderInput()).containsExactly(7, 8, 9, 1, 10, 11, 1, 12, 13, 14, 15, 1, 0, 0);
    assertThat(row.encoderMask()).containsExactly(1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3, 0, 0);
    assertThat(row.targets()).containsExactly(20, 21, 1, 22, 1, 23, 24, 25, 1, 0);
    assertThat(row.decoderMask()).containsExactly(1, 1, 1, 2, 2, 3, 3, 3, 3, 0);
    assertThat(row.decoderInput())
        .as("each example's decoder input starts with its own start token")
        .containsExactly(0, 20, 21, 0, 22, 0, 23, 24, 25, 0);
    assertThat(row.packed()).isTrue();
    assertThat(row.targetTokens()).isEqualTo(9);
    assertThat(row.tokenCount()).isEqualTo(12 + 9);
  }

  @Test
  void theBatcherFillsRowsInOrderAndDropsOnlyTheExampleThatOverflowsTheLast() {
    TextBatcher batcher = new TextBatcher(new ByteTokenizer(), 12, 6);
    List<TextExample> drawn = new ArrayList<>();
    Iterator<Integer> n = java.util.stream.IntStream.iterate(0, i -> i + 1).iterator();
    TokenBatch batch =
        batcher.packedBatch(
            () -> {
              int i = n.next();
              TextExample e = new TextExample("ab" + i, String.valueOf(i % 10));
              drawn.add(e);
              return e;
            },
            2);

    // inputs of 4 tokens (3 bytes and EOS), targets of 2: three examples fill 12 input tokens
    assertThat(batch.size()).isEqualTo(2);
    assertThat(drawn).as("two rows of three, and the one that did not fit").hasSize(7);
    int[] firstRow = java.util.Arrays.copyOfRange(batch.encoderInput(), 0, 12);
    int[] expected = new int[12];
    for (int i = 0; i < 3; i++) {
      System.arraycopy(batcher.input(drawn.get(i).input()), 0, expected, 4 * i, 4);
    }
    assertThat(firstRow).containsExactly(expected);
    assertThat(java.util.Arrays.copyOfRange(batch.encoderMask(), 12, 24))
        .containsExactly(1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3);
  }

  @Test
  void examplesInOneRowDoNotSeeEachOther() {
    try (NDManager manager = NDManager.newBaseManager()) {
      T5Model model = new T5Model(SHAPE);
      model.initialize(manager);
      ParameterStore store = new ParameterStore(manager, false);
      TokenBatch packed = TokenBatch.packed(List.of(EXAMPLES), 14, 10, 0);
      NDList x = packed.toNDList(manager, DataType.INT64);
      float[][] packedLogits =
          rows(model.packedLogits(store, x.get(0), x.get(1), x.get(2), x.get(4), false));

      int at = 0;
      for (Example example : EXAMPLES) {
        TokenBatch alone =
            TokenBatch.of(List.of(example), example.inputs().length, example.targets().length, 0);
        NDList y = alone.toNDList(manager, DataType.INT64);
        float[][] aloneLogits = rows(model.logits(store, y.get(0), null, y.get(2), null, false));
        for (int position = 0; position < example.targets().length; position++) {
          float[] expected = aloneLogits[position];
          float[] actual = packedLogits[at + position];
          for (int v = 0; v < expected.length; v++) {
            assertThat(actual[v])
                .as("example at target %d, position %d, vocab %d", at, position, v)
                .isCloseTo(expected[v], within(1e-4f));
          }
        }
        at += example.targets().length;
      }
    }
  }

  /** The first row's logits as one array per target position. */
  private static float[][] rows(NDArray logits) {
    int length = Math.toIntExact(logits.getShape().get(1));
    int vocab = Math.toIntExact(logits.getShape().get(2));
    float[] flat = logits.toFloatArray();
    float[][] out = new float[length][vocab];
    for (int i = 0; i < length; i++) {
      System.arraycopy(flat, i * vocab, out[i], 0, vocab);
    }
    return out;
  }
}
