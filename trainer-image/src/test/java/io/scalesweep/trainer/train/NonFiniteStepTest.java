package io.scalesweep.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.scalesweep.api.v1alpha1.Optimizer;
import io.scalesweep.trainer.data.Example;
import io.scalesweep.trainer.data.TokenBatch;
import io.scalesweep.trainer.model.Scalars;
import io.scalesweep.trainer.model.T5Model;
import io.scalesweep.trainer.optim.ConstantSchedule;
import io.scalesweep.trainer.optim.Optimizers;
import io.scalesweep.trainer.optim.StatefulOptimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * What a training step does with a loss or gradient that is not a finite number: a fault that a
 * second computation does not reproduce is repaired without changing the run; a non-finite
 * gradient under a finite loss skips the update and is counted; a loss that stays NaN ends the run
 * and says what the evidence points at. Faults are planted through the parameter store, the one
 * place every weight passes on its way into the forward pass.
 */
class NonFiniteStepTest {

  private static final io.scalesweep.api.shape.Shape SHAPE =
      new io.scalesweep.api.shape.Shape(1, 1, 32, 64, 8, 4, 4, false, 384);
  private static final String POISONED = "decoder.final_layer_norm.weight";

  @Test
  void aFaultThatASecondComputationDoesNotReproduceLeavesTheRunBitIdentical() {
    List<StepOutcome> clean = run(8, Fault.NONE, pass -> false, new ArrayList<>());
    List<String> warnings = new ArrayList<>();
    // the first pass of step 4 (passes are counted from 0, one per step while all is well)
    List<StepOutcome> repaired = run(8, Fault.NAN_GRADIENT, pass -> pass == 3, warnings);

    for (int i = 0; i < clean.size(); i++) {
      assertThat(repaired.get(i).loss())
          .as("loss of step %d", i + 1)
          .isEqualTo(clean.get(i).loss());
      assertThat(repaired.get(i).gradientNorm()).isEqualTo(clean.get(i).gradientNorm());
    }
    assertThat(repaired.get(3).repair()).isEqualTo(StepRepair.RECOMPUTED);
    assertThat(repaired).filteredOn(o -> o.repair() != StepRepair.NONE).hasSize(1);
    assertThat(warnings)
        .singleElement()
        .asString()
        .contains("step 4", "second computation", "memory was corrupted", "not the recipe")
        .doesNotContain("learningRate");
  }

  @Test
  void aNonFiniteGradientUnderAFiniteLossSkipsTheUpdateAndTrainingGoesOn() {
    List<String> warnings = new ArrayList<>();
    // both passes of step 3 (the third and fourth pass)
    List<StepOutcome> run = run(6, Fault.NAN_GRADIENT, pass -> pass == 2 || pass == 3, warnings);

    StepOutcome skipped = run.get(2);
    assertThat(skipped.step()).isEqualTo(3);
    assertThat(skipped.repair()).isEqualTo(StepRepair.SKIPPED);
    assertThat(skipped.loss()).isFinite();
    assertThat(skipped.gradientNorm()).isNaN();
    assertThat(run.subList(3, 6))
        .allSatisfy(o -> assertThat(o.repair()).isEqualTo(StepRepair.NONE))
        .allSatisfy(o -> assertThat(o.gradientNorm()).as("gradients were zeroed").isFinite());
    assertThat(run).extracting(StepOutcome::step).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(warnings).singleElement().asString().contains("step 3", "skipped");

    ProgressMeter meter = new ProgressMeter(Phase.PRETRAIN, 6, 1, 0, 0, 4, 1);
    Progress last = null;
    for (StepOutcome o : run) {
      last = meter.record(o);
    }
    assertThat(last.skippedSteps()).as("4 before this attempt, 1 in it").isEqualTo(5);
    assertThat(last.recomputedSteps()).isEqualTo(1);
  }

  @Test
  void aNaNGradientOnStepsThatReadNothingBackIsStillSkippedCountedAndTrainingGoesOn() {
    Engine.getInstance().setRandomSeed(3);
    List<String> warnings = new ArrayList<>();
    try (NDManager base = NDManager.newBaseManager();
        StatefulOptimizer optimizer = Optimizers.create(Optimizer.ADAFACTOR)) {
      T5Model model = model(base);
      // both passes of step 3: not a glitch a second computation would clear
      TrainingLoop loop =
          loop(base, model, Fault.NAN_GRADIENT, pass -> pass == 2 || pass == 3, optimizer, warnings);
      List<StepOutcome> run = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        // as a run between logging steps: no loss and no gradient norm are read back
        run.add(loop.step(i == 7));
      }

      assertThat(run.get(2).repair()).isEqualTo(StepRepair.SKIPPED);
      assertThat(run).filteredOn(o -> o.repair() != StepRepair.NONE).hasSize(1);
      assertThat(run.get(1).loss()).as("not read back").isNaN();
      assertThat(run.get(7).loss()).isFinite();
      assertThat(run.get(7).lossSteps()).as("steps 4 to 8, summed on the device (the skip read its loss back)")
          .isEqualTo(5);
      assertThat(warnings).singleElement().asString().contains("step 3", "skipped");
      assertThat(optimizer.steps()).isEqualTo(8);
      for (Parameter p : model.namedParameters().values()) {
        assertThat(p.getArray().toFloatArray()).as(p.getName()).doesNotContain(Float.NaN);
      }
      ProgressMeter meter = new ProgressMeter(Phase.PRETRAIN, 8, 4, 0, 0, 0, 0);
      Progress last = null;
      for (StepOutcome o : run) {
        last = meter.record(o);
      }
      assertThat(last.skippedSteps()).isEqualTo(1);
      assertThat(last.meanLoss()).isFinite();
    }
  }

  @Test
  void aSkippedStepChangesNoWeight() {
    Engine.getInstance().setRandomSeed(3);
    try (NDManager base = NDManager.newBaseManager();
        StatefulOptimizer optimizer = Optimizers.create(Optimizer.ADAFACTOR)) {
      T5Model model = model(base);
      TrainingLoop loop =
          loop(base, model, Fault.NAN_GRADIENT, pass -> true, optimizer, new ArrayList<>());
      float[] before = model.namedParameters().get("shared.weight").getArray().toFloatArray();

      assertThat(loop.step().repair()).isEqualTo(StepRepair.SKIPPED);

      assertThat(model.namedParameters().get("shared.weight").getArray().toFloatArray())
          .containsExactly(before);
      assertThat(optimizer.steps()).as("the step still counts").isEqualTo(1);
    }
  }

  @Test
  void tenSkippedUpdatesInARowEndTheRunNamingTheGradientAndTheRecipe() {
    assertThatThrownBy(() -> run(20, Fault.NAN_GRADIENT, pass -> true, new ArrayList<>()))
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessageContaining("gradient was not finite in 10 pretrain steps in a row up to step 10")
        .hasMessageContaining("while the loss was finite")
        .hasMessageContaining("spec.pretrain.learningRate");
  }

  @Test
  void aLossThatIsNaNTwiceFromFiniteWeightsIsADivergence() {
    assertThatThrownBy(() -> run(5, Fault.NAN_LOSS, pass -> pass >= 4, new ArrayList<>()))
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessageContaining("loss NaN at pretrain step 5 from finite weights")
        .hasMessageContaining("the same again when the step was computed a second time")
        .hasMessageContaining("lower spec.pretrain.learningRate or set spec.pretrain.maxGradNorm");
  }

  @Test
  void zeroingClearsNaNGradientsToExactlyZero() {
    try (NDManager base = NDManager.newBaseManager()) {
      T5Model model = model(base);
      Parameter p = model.namedParameters().get(POISONED);
      NDArray weight = p.getArray();
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(Scalars.mul(weight.sum(), Float.NaN));
      }
      assertThat(weight.getGradient().toFloatArray()).contains(Float.NaN);

      StatefulOptimizer.zeroGradients(new PairList<>(model.namedParameters()));

      assertThat(weight.getGradient().toFloatArray()).containsOnly(0f);
    }
  }

  private enum Fault {
    NONE,
    /** Forward unchanged to the last bit, NaN gradient: w + sqrt(0 * w), d/dw = 1 + 0 * inf. */
    NAN_GRADIENT,
    /** NaN in the forward pass. */
    NAN_LOSS
  }

  /**
   * A parameter store that plants a fault in one weight on the forward passes it is told to,
   * counting passes by the reads of that weight (the decoder's final norm: once per pass).
   */
  private static final class FaultyStore extends ParameterStore {
    private final NDManager manager;
    private final Fault fault;
    private final IntPredicate poisonPass;
    private final NDArray target;
    private int passes = -1;

    FaultyStore(NDManager manager, Fault fault, IntPredicate poisonPass, NDArray target) {
      super(manager, false);
      this.manager = manager;
      this.fault = fault;
      this.poisonPass = poisonPass;
      this.target = target;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
      NDArray weight = super.getValue(parameter, device, training);
      if (weight != target) {
        return weight;
      }
      passes++;
      if (fault == Fault.NONE || !poisonPass.test(passes)) {
        return weight;
      }
      NDArray zero = manager.zeros(weight.getShape());
      return fault == Fault.NAN_GRADIENT
          ? zero.mul(weight).sqrt().add(weight)
          : Scalars.mul(weight, Float.NaN);
    }
  }

  private static List<StepOutcome> run(
      int steps, Fault fault, IntPredicate poisonPass, List<String> warnings) {
    Engine.getInstance().setRandomSeed(3);
    try (NDManager base = NDManager.newBaseManager();
        StatefulOptimizer optimizer = Optimizers.create(Optimizer.ADAFACTOR)) {
      T5Model model = model(base);
      TrainingLoop loop = loop(base, model, fault, poisonPass, optimizer, warnings);
      List<StepOutcome> out = new ArrayList<>();
      for (int i = 0; i < steps; i++) {
        out.add(loop.step());
      }
      return out;
    }
  }

  private static T5Model model(NDManager base) {
    T5Model model = new T5Model(SHAPE);
    model.initialize(base.newSubManager());
    return model;
  }

  private static TrainingLoop loop(
      NDManager base,
      T5Model model,
      Fault fault,
      IntPredicate poisonPass,
      StatefulOptimizer optimizer,
      List<String> warnings) {
    NDArray target = model.namedParameters().get(POISONED).getArray();
    SplittableRandom random = new SplittableRandom(9);
    return new TrainingLoop(
        Phase.PRETRAIN,
        List.of(ProgressListener.onWarning(warnings::add)),
        model,
        new FaultyStore(base, fault, poisonPass, target),
        base,
        optimizer,
        new ConstantSchedule(0.01),
        () -> batch(random),
        1,
        0);
  }

  private static TokenBatch batch(SplittableRandom random) {
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      examples.add(
          new Example(
              random.ints(16, 2, 384).toArray(), random.ints(6, 2, 384).toArray()));
    }
    return TokenBatch.of(examples, 16, 6, T5Model.PAD_ID);
  }
}
