package io.scalesweep.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/**
 * Dropout acts in training passes only: two training passes over the same batch differ (each
 * drops other units), two evaluation passes are equal, and a rate set to 0 drops nothing.
 */
class DropoutTest {

  private static final io.scalesweep.api.shape.Shape SHAPE =
      new io.scalesweep.api.shape.Shape(2, 2, 32, 64, 8, 4, 4, false, 384);

  @Test
  void trainingPassesDifferAndEvaluationPassesAgree() {
    try (NDManager manager = NDManager.newBaseManager()) {
      T5Model model = new T5Model(SHAPE, 0.1f);
      model.initialize(manager);
      ParameterStore store = new ParameterStore(manager, false);
      NDArray inputs = manager.create(new long[][] {{5, 6, 7, 8, 1}, {9, 10, 11, 1, 0}});
      NDArray decoder = manager.create(new long[][] {{0, 12, 13}, {0, 14, 15}});

      float[] train1 = logits(model, store, inputs, decoder, true);
      float[] train2 = logits(model, store, inputs, decoder, true);
      float[] eval1 = logits(model, store, inputs, decoder, false);
      float[] eval2 = logits(model, store, inputs, decoder, false);

      assertThat(train1).as("two training passes drop different units").isNotEqualTo(train2);
      assertThat(train1).as("training with dropout is not evaluation").isNotEqualTo(eval1);
      assertThat(eval1).as("evaluation never drops").isEqualTo(eval2);

      model.setDropoutRate(0f);
      assertThat(logits(model, store, inputs, decoder, true))
          .as("rate 0: a training pass is the evaluation pass")
          .isEqualTo(eval1);
      assertThat(model.dropoutRate()).isZero();
    }
  }

  @Test
  void aRateOfOneOrMoreIsRefused() {
    T5Model model = new T5Model(SHAPE);
    assertThatThrownBy(() -> model.setDropoutRate(1f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[0, 1)");
  }

  private static float[] logits(
      T5Model model, ParameterStore store, NDArray inputs, NDArray decoder, boolean training) {
    try (NDManager scope = inputs.getManager().newSubManager()) {
      NDArray ids = inputs.duplicate();
      ids.attach(scope);
      return model.logits(store, ids, null, decoder, null, training).toFloatArray();
    }
  }
}
