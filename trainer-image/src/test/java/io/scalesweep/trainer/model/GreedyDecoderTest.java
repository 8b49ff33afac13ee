package io.scalesweep.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Decoding with the key/value cache gives exactly what recomputing the whole prefix gives. */
class GreedyDecoderTest {

  @ParameterizedTest(name = "kvHeads={0} tiedKV={1}")
  @CsvSource({"4, false", "2, false", "1, true", "4, true"})
  void cachedAndUncachedDecodingAgree(int kvHeads, boolean tiedKV) {
    io.scalesweep.api.shape.Shape shape =
        new io.scalesweep.api.shape.Shape(2, 3, 32, 48, 8, 4, kvHeads, tiedKV, 384);
    try (NDManager manager = NDManager.newBaseManager()) {
      manager.getEngine().setRandomSeed(11);
      T5Model model = new T5Model(shape);
      model.initialize(manager);
      // At initialisation scale a tiny model repeats one token whatever the prefix, which a
      // wrong cache would repeat too.
      Weights.sharpen(model);
      ParameterStore parameterStore = new ParameterStore(manager, false);
      NDArray ids = manager.randomInteger(3, 384, new Shape(3, 13), DataType.INT64);
      NDArray mask = manager.create(new long[][] {ones(13, 13), ones(13, 9), ones(13, 4)});
      GreedyDecoder decoder = new GreedyDecoder(model, parameterStore);

      long[][] uncached = decoder.decode(ids, mask, 16, false);
      long[][] cached = decoder.decode(ids, mask, 16, true);

      assertThat(cached).isDeepEqualTo(uncached);
      assertThat(Arrays.stream(uncached).mapToLong(row -> Arrays.stream(row).distinct().count()).max().orElse(0))
          .as("a prefix-dependent output, not one token repeated: %s", Arrays.deepToString(uncached))
          .isGreaterThan(3);
    }
  }

  private static long[] ones(int length, int tokens) {
    long[] row = new long[length];
    Arrays.fill(row, 0, tokens, 1);
    return row;
  }
}
