package io.scalesweep.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Test;

/** The model works as a plain DJL block: Model, Trainer, forward, backward, optimiser step. */
class T5ModelTrainerTest {

  @Test
  void aFewOptimiserStepsThroughDjlsTrainerLowerTheLossOnAFixedBatch() {
    var shape = new io.scalesweep.api.shape.Shape(1, 1, 32, 64, 8, 4, 4, false, 384);
    try (Model model = Model.newInstance("t5")) {
      model.getNDManager().getEngine().setRandomSeed(3);
      model.setBlock(new T5Model(shape));
      // The Loss is DJL's bookkeeping only: the T5 loss is computed by T5Loss below.
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(Loss.l2Loss())
              .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-2f)).build());
      try (Trainer trainer = model.newTrainer(config);
          NDManager batch = model.getNDManager().newSubManager()) {
        trainer.initialize(T5Model.inputShapes(2, 7, 5));
        NDArray ids = batch.randomInteger(3, 384, new Shape(2, 7), DataType.INT64);
        NDArray targets = batch.randomInteger(3, 384, new Shape(2, 5), DataType.INT64);
        NDArray decoderIds =
            batch.zeros(new Shape(2, 1), DataType.INT64).concat(targets.get(":, :-1"), 1);

        float first = 0;
        float last = 0;
        for (int step = 0; step < 5; step++) {
          try (NDManager scope = batch.newSubManager();
              GradientCollector collector = trainer.newGradientCollector()) {
            // Results join their first operand's manager: lend the batch to this step's scope.
            ids.tempAttach(scope);
            decoderIds.tempAttach(scope);
            targets.tempAttach(scope);
            NDList logits = trainer.forward(new NDList(ids, decoderIds));
            assertThat(logits.singletonOrThrow().getShape()).isEqualTo(new Shape(2, 5, 384));
            NDArray loss = T5Loss.crossEntropy(logits.singletonOrThrow(), targets).mean();
            collector.backward(loss);
            last = loss.getFloat();
            first = step == 0 ? last : first;
          }
          trainer.step();
        }
        assertThat(last).isLessThan(first);
      }
    }
  }
}
