package io.scalesweep.trainer.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.ParameterList;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** 200 steps of clipping plus update on a small DJL model leave no array behind anywhere. */
class ParameterManagerLeakTest {

  @Test
  void adafactorAndClippingKeepTheModelManagerFlatEvenWhenCapped() {
    assertFlat(() -> Adafactor.builder().minDimSizeToFactor(1).beta1(0.5f).build());
  }

  @Test
  void adamwAndClippingKeepTheModelManagerFlatEvenWhenCapped() {
    assertFlat(AdamW::new);
  }

  // Shows the count detects the trap this package avoids (djl-notes: naive global norm).
  @Test
  void theNaiveNormWouldLeakIntoTheModelManager() {
    try (NDManager model = NDManager.newBaseManager()) {
      SequentialBlock block = model(model);
      int before = model.getManagedArrays().size();
      for (int i = 0; i < 3; i++) {
        trainingStep(block, model);
        for (var p : block.getParameters()) {
          p.getValue().getArray().getGradient().square().sum();
        }
      }
      assertThat(model.getManagedArrays().size()).isGreaterThan(before);
    }
  }

  private static void assertFlat(Supplier<StatefulOptimizer> optimizer) {
    try (NDManager model = NDManager.newBaseManager(); StatefulOptimizer o = optimizer.get()) {
      SequentialBlock block = model(model);
      ParameterList params = block.getParameters();
      int modelArrays = model.getManagedArrays().size();
      model.cap(); // any accidental attach now throws
      float firstLoss = trainingStep(block, model);
      GradientClipping.clipByGlobalNorm(params, 0.5f);
      o.step(params, 0.01f);
      int stateArrays = o.stateManager().getManagedArrays().size();
      float lastLoss = 0;
      for (int i = 1; i < 200; i++) {
        lastLoss = trainingStep(block, model);
        GradientClipping.clipByGlobalNorm(params, 0.5f);
        o.step(params, 0.01f);
      }
      assertThat(model.getManagedArrays()).hasSize(modelArrays);
      assertThat(o.stateManager().getManagedArrays()).hasSize(stateArrays);
      assertThat(lastLoss).isLessThan(firstLoss); // it did train
    }
  }

  private static SequentialBlock model(NDManager model) {
    model.getEngine().setRandomSeed(7);
    SequentialBlock block =
        new SequentialBlock()
            .add(Linear.builder().setUnits(16).build())
            .add(Activation::relu)
            .add(Linear.builder().setUnits(3).build());
    block.initialize(model, DataType.FLOAT32, new Shape(8, 5));
    return block;
  }

  /** Forward and backward on a fixed batch; all batch arrays live in a per-step manager. */
  private static float trainingStep(SequentialBlock block, NDManager model) {
    try (NDManager step = NDManager.newBaseManager()) {
      NDArray x = step.arange(40f).reshape(8, 5).div(40f);
      NDArray y = step.arange(24f).reshape(8, 3).div(24f).sin();
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray prediction =
            block.forward(new ParameterStore(step, false), new NDList(x), true).singletonOrThrow();
        NDArray loss = prediction.sub(y).square().mean();
        collector.backward(loss);
        return loss.getFloat();
      }
    }
  }
}
