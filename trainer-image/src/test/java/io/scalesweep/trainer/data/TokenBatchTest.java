package io.scalesweep.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenBatchTest {

  private final List<Example> examples =
      List.of(new Example(new int[] {7, 383, 1}, new int[] {383, 9, 1}), new Example(new int[] {5, 1}, new int[] {1}));

  @Test
  void padsShiftsAndMasks() {
    TokenBatch b = TokenBatch.of(examples, 4, 3, 0);
    assertThat(b.encoderInput()).containsExactly(7, 383, 1, 0, 5, 1, 0, 0);
    assertThat(b.encoderMask()).containsExactly(1, 1, 1, 0, 1, 1, 0, 0);
    assertThat(b.targets()).containsExactly(383, 9, 1, 1, 0, 0);
    assertThat(b.decoderInput()).containsExactly(0, 383, 9, 0, 1, 0);
    assertThat(b.decoderMask()).containsExactly(1, 1, 1, 1, 0, 0);
    assertThat(b.tokenCount()).isEqualTo(5 + 4);
  }

  @Test
  void refusesExamplesThatDoNotFit() {
    assertThatThrownBy(() -> TokenBatch.of(examples, 2, 3, 0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void becomesNamedInt32ArraysInTheGivenManager() {
    TokenBatch b = TokenBatch.of(examples, 4, 3, 0);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDList list = b.toNDList(manager);
      assertThat(list).hasSize(5);
      for (int i = 0; i < 5; i++) {
        NDArray a = list.get(i);
        assertThat(a.getName()).isEqualTo(TokenBatch.NAMES.get(i));
        assertThat(a.getDataType()).isEqualTo(DataType.INT32);
        assertThat(a.getManager()).isSameAs(manager);
      }
      assertThat(list.get("decoder_input").getShape().getShape()).containsExactly(2, 3);
      assertThat(list.get("encoder_input").toIntArray()).isEqualTo(b.encoderInput());
      NDList longs = b.toNDList(manager, DataType.INT64);
      assertThat(longs.get("targets").getDataType()).isEqualTo(DataType.INT64);
      assertThat(longs.get("targets").getName()).isEqualTo("targets");
      // per call the five views and the one uploaded buffer they share: no stray copies
      assertThat(manager.getManagedArrays()).hasSize(12);
    }
  }
}
