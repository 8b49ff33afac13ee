package io.scalesweep.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/**
 * Training steps (forward, loss, backward) and greedy decoding leave no array behind in the model's
 * manager or anywhere above the per-step manager: DJL puts results beside their first operand,
 * and one op with a parameter first would grow the model manager by an array per step.
 */
class T5ModelMemoryTest {

  private static final io.scalesweep.api.shape.Shape SHAPE =
      new io.scalesweep.api.shape.Shape(2, 2, 32, 64, 8, 4, 2, false, 384);
  private static final int STEPS = 60;

  @Test
  void trainingStepsKeepTheLiveArrayCountsFlat() {
    try (NDManager base = NDManager.newBaseManager()) {
      NDManager system = base.getParentManager();
      NDManager modelManager = base.newSubManager();
      // Dropout on, so its masks are part of what must be freed.
      T5Model model = new T5Model(SHAPE, 0.1f);
      model.initialize(modelManager);
      int parameters = model.getParameters().size();
      // From here on, anything attached to the model's manager throws.
      modelManager.cap();
      ParameterStore parameterStore = new ParameterStore(base, false);

      trainingStep(base, model, parameterStore);
      int modelArrays = modelManager.getManagedArrays().size();
      int baseArrays = base.getManagedArrays().size();
      int systemArrays = system.getManagedArrays().size();
      int perStep = 0;
      for (int step = 0; step < STEPS; step++) {
        perStep = trainingStep(base, model, parameterStore);
      }

      System.out.printf(
          "memory: model manager %d arrays (%d parameters), base %d, system %d; "
              + "each step made %d arrays, all freed; after %d steps: model %d, base %d, system %d%n",
          modelArrays, parameters, baseArrays, systemArrays, perStep, STEPS,
          modelManager.getManagedArrays().size(), base.getManagedArrays().size(),
          system.getManagedArrays().size());
      assertThat(modelArrays).isEqualTo(parameters);
      assertThat(perStep).as("the step's activations are counted where they live").isGreaterThan(100);
      assertThat(modelManager.getManagedArrays()).hasSize(modelArrays);
      assertThat(base.getManagedArrays()).hasSize(baseArrays);
      assertThat(system.getManagedArrays()).hasSize(systemArrays);
    }
  }

  @Test
  void greedyDecodingLeavesTheCallersManagersAsTheyWere() {
    try (NDManager base = NDManager.newBaseManager()) {
      NDManager modelManager = base.newSubManager();
      T5Model model = new T5Model(SHAPE.withTiedKV(true));
      model.initialize(modelManager);
      modelManager.cap();
      ParameterStore parameterStore = new ParameterStore(base, false);
      NDManager batch = base.newSubManager();
      NDArray ids = batch.randomInteger(3, 384, new Shape(2, 9), DataType.INT64);
      NDArray mask = batch.ones(new Shape(2, 9), DataType.INT64);
      int batchArrays = batch.getManagedArrays().size();
      int baseArrays = base.getManagedArrays().size();

      GreedyDecoder decoder = new GreedyDecoder(model, parameterStore);
      decoder.decode(ids, mask, 10, true);
      decoder.decode(ids, mask, 10, false);

      assertThat(batch.getManagedArrays()).hasSize(batchArrays);
      assertThat(base.getManagedArrays()).hasSize(baseArrays);
      assertThat(ids.getManager()).isSameAs(batch);
    }
  }

  /** One step in its own manager; returns how many arrays the step created. */
  private static int trainingStep(NDManager base, T5Model model, ParameterStore parameterStore) {
    try (NDManager step = base.newSubManager();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray inputIds = step.randomInteger(2, 384, new Shape(4, 24), DataType.INT64);
      NDArray inputMask = step.ones(new Shape(4, 24), DataType.INT64);
      NDArray targets = step.randomInteger(0, 384, new Shape(4, 12), DataType.INT64);
      NDArray decoderIds = step.zeros(new Shape(4, 1), DataType.INT64)
          .concat(targets.get(":, :-1"), 1);
      NDArray decoderMask = step.ones(new Shape(4, 12), DataType.INT64);
      NDArray logits =
          model.logits(parameterStore, inputIds, inputMask, decoderIds, decoderMask, true);
      TokenLoss loss = T5Loss.crossEntropy(logits, targets);
      collector.backward(loss.mean());
      return step.getManagedArrays().size();
    }
  }
}
