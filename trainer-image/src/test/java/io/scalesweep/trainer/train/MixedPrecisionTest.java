package io.scalesweep.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.v1alpha1.Optimizer;
import io.scalesweep.api.v1alpha1.Precision;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialResult;
import io.scalesweep.trainer.data.TokenBatch;
import io.scalesweep.trainer.model.T5Model;
import io.scalesweep.trainer.optim.ConstantSchedule;
import io.scalesweep.trainer.optim.Optimizers;
import io.scalesweep.trainer.optim.StatefulOptimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mixed-precision (fp16) training on the CPU, with real DJL: fp16 matrix products under fp32
 * master weights learn and hold a flat number of arrays; an fp16
 * overflow skips its update, is counted and halves the loss scale; a run resumes exactly, its loss
 * scale included.
 */
class MixedPrecisionTest {

  private static final io.scalesweep.api.shape.Shape SHAPE =
      new io.scalesweep.api.shape.Shape(2, 2, 32, 64, 8, 4, 4, false, 384);

  @TempDir Path dir;

  @Test
  void aTinyModelLearnsInMixedFp16WithAFlatLiveArrayCount() {
    NDManager system = TrainingMemoryTest.systemManager();
    List<StepOutcome> run = new ArrayList<>();
    List<Integer> live = new ArrayList<>();
    try (NDManager base = NDManager.newBaseManager();
        StatefulOptimizer optimizer = Optimizers.create(Optimizer.ADAFACTOR)) {
      T5Model model = model(base);
      TokenBatch batch = batch(9);
      LossScaler scaler = new LossScaler();
      TrainingLoop loop = loop(base, model, optimizer, () -> batch, new ArrayList<>());
      loop.mixedPrecision(scaler);
      for (int i = 0; i < 40; i++) {
        // observed every 10th step only, as a run between its logging steps
        run.add(loop.step(i % 10 == 0 || i == 39));
        live.add(system.getManagedArrays().size());
      }

      System.out.printf(
          "mixed-fp16: loss %.4f at step 1, %.4f at step 40; live arrays %d after step 1, %d after"
              + " step 40%n",
          run.get(0).loss(), run.get(39).loss(), live.get(0), live.get(39));
      assertThat(run).allSatisfy(o -> assertThat(o.repair()).isEqualTo(StepRepair.NONE));
      assertThat(run.get(39).loss()).isLessThan(run.get(0).loss() * 0.5);
      assertThat(live.subList(1, 40)).containsOnly(live.get(1));
      assertThat(scaler.state()).isEqualTo(new LossScaler.State(LossScaler.INITIAL_SCALE, 40));
      for (Parameter p : model.namedParameters().values()) {
        assertThat(p.getArray().getDataType()).as(p.getName()).isEqualTo(DataType.FLOAT32);
      }
    }
  }

  @Test
  void anFp16OverflowSkipsTheUpdateCountsItHalvesTheScaleAndTrainingGoesOn() {
    List<String> warnings = new ArrayList<>();
    try (NDManager base = NDManager.newBaseManager();
        StatefulOptimizer optimizer = Optimizers.create(Optimizer.ADAFACTOR)) {
      T5Model model = model(base);
      long[] seed = {9};
      TrainingLoop loop = loop(base, model, optimizer, () -> batch(seed[0]++), warnings);
      // 2^40 times a per-token gradient is far beyond fp16's 65504: the backward pass overflows
      LossScaler scaler = new LossScaler(new LossScaler.State(0x1p40f, 0), 2000);
      loop.mixedPrecision(scaler);
      float[] before = model.namedParameters().get("shared.weight").getArray().toFloatArray();

      StepOutcome first = loop.step(false);

      assertThat(first.repair()).isEqualTo(StepRepair.SKIPPED);
      assertThat(first.loss()).as("the loss itself was fine").isFinite();
      assertThat(scaler.scale()).isEqualTo(0x1p39f);
      assertThat(model.namedParameters().get("shared.weight").getArray().toFloatArray())
          .as("a skipped update changes no weight")
          .containsExactly(before);
      assertThat(warnings)
          .singleElement()
          .asString()
          .contains("step 1", "overflowed at loss scale 1.09951163E12", "halved to 5.4975581E11");

      List<StepOutcome> run = new ArrayList<>(List.of(first));
      for (int i = 1; i < 60; i++) {
        run.add(loop.step(i == 59));
      }
      long skipped = run.stream().filter(o -> o.repair() == StepRepair.SKIPPED).count();
      System.out.printf(
          "overflow: %d skipped steps, loss scale 2^40 -> 2^%d%n",
          skipped, Math.getExponent(scaler.scale()));
      assertThat(run.subList(0, 10))
          .as("at 2^39 down to 2^30 the gradients still overflow: one halving each")
          .allSatisfy(o -> assertThat(o.repair()).isEqualTo(StepRepair.SKIPPED));
      assertThat(run.subList(30, 60))
          .as("once the scale fits, updates go through (a batch near the edge may still skip)")
          .filteredOn(o -> o.repair() == StepRepair.NONE)
          .hasSizeGreaterThan(25);
      assertThat(run).allSatisfy(o -> assertThat(o.repair()).isNotEqualTo(StepRepair.RECOMPUTED));
      assertThat(scaler.scale()).isEqualTo(Math.scalb(1f, 40 - (int) skipped));
      assertThat(skipped)
          .as("more skipped steps in a row than the fp32 divergence limit: overflows do not count")
          .isGreaterThan(TrainingLoop.MAX_SKIPPED_IN_A_ROW);
      assertThat(optimizer.steps()).as("a skipped step still counts").isEqualTo(60);
      assertThat(run.get(59).loss()).isFinite();

      ProgressMeter meter = new ProgressMeter(Phase.PRETRAIN, 60, 10, 0, 0, 0, 0);
      Progress last = null;
      for (StepOutcome o : run) {
        last = meter.record(o);
      }
      assertThat(last.skippedSteps()).isEqualTo(skipped);
    }
  }

  @Test
  void aMixedRunResumesExactlyItsLossScaleIncludedAndFp32WritesNone() throws IOException {
    Path corpus = TinyTrials.corpus(dir, 400, 3);
    TrainingJob mixed = TinyTrials.job(corpus.toString(), 12, 6, "precision: mixed-fp16");
    java.io.StringWriter log = new java.io.StringWriter();
    TrialResult uninterrupted =
        new TrialRun(mixed, new LocalTrialOutput(dir.resolve("reference")))
            .listener(new ProgressReporter(new java.io.PrintWriter(log, true)))
            .run();
    assertThat(log.toString()).contains("12 steps, mixed-fp16");

    Path out = dir.resolve("out");
    new TrialRun(mixed, new LocalTrialOutput(out)).run();
    Files.delete(out.resolve("checkpoints/step-12").resolve(StorageLayout.CHECKPOINT_MANIFEST));
    Files.delete(out.resolve(StorageLayout.RESULT_FILE));
    TrialResult resumed = new TrialRun(mixed, new LocalTrialOutput(out)).run();

    assertThat(state(out, 6).lossScale()).isEqualTo(new LossScaler.State(0x1p15f, 6));
    assertThat(state(out, 12).lossScale())
        .as("continued from step 6's count")
        .isEqualTo(new LossScaler.State(0x1p15f, 12));
    assertThat(resumed.getFinalLoss()).isFinite().isEqualTo(uninterrupted.getFinalLoss());
    assertThat(resumed.getNegLogPerplexity()).isEqualTo(uninterrupted.getNegLogPerplexity());
    assertThat(resumed.getSkippedSteps()).isZero();

    Path fp32 = dir.resolve("fp32");
    java.io.StringWriter fp32Log = new java.io.StringWriter();
    new TrialRun(TinyTrials.job(corpus.toString(), 2, 2), new LocalTrialOutput(fp32))
        .listener(new ProgressReporter(new java.io.PrintWriter(fp32Log, true)))
        .run();
    assertThat(fp32Log.toString()).contains("2 steps").doesNotContain("mixed");
    assertThat(Files.readString(fp32.resolve("checkpoints/step-2").resolve(TrainingCheckpoints.STATE_FILE)))
        .doesNotContain("lossScale");
  }

  private static TrainingState state(Path out, long step) throws IOException {
    return TrainingState.fromJson(
        Files.readAllBytes(
            out.resolve("checkpoints/step-" + step).resolve(TrainingCheckpoints.STATE_FILE)));
  }

  private static T5Model model(NDManager base) {
    Engine.getInstance().setRandomSeed(3);
    T5Model model = new T5Model(SHAPE);
    NDManager weights = base.newSubManager();
    model.initialize(weights);
    // a temporary that lands with the weights would throw instead of piling up
    weights.cap();
    return model;
  }

  private static TrainingLoop loop(
      NDManager base,
      T5Model model,
      StatefulOptimizer optimizer,
      java.util.function.Supplier<TokenBatch> data,
      List<String> warnings) {
    return new TrainingLoop(
        Phase.PRETRAIN,
        List.of(ProgressListener.onWarning(warnings::add)),
        model,
        new ParameterStore(base, false),
        base,
        optimizer,
        new ConstantSchedule(0.01),
        data,
        1,
        0.5);
  }

  /** A batch of 4 random rows of 16 input and 6 target tokens, different for each seed. */
  private static TokenBatch batch(long seed) {
    return ThroughputBench.randomBatch(
        new ThroughputBench.Config(
            SHAPE, 4, 16, 6, Optimizer.ADAFACTOR, 0, 0, 0, seed, Precision.FP32, null));
  }
}
