package io.scalesweep.trainer.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.scalesweep.api.cost.FlopCounter;
import io.scalesweep.api.cost.ParamCounter;
import io.scalesweep.api.shape.Shape;
import io.scalesweep.api.v1alpha1.Optimizer;
import io.scalesweep.api.v1alpha1.Precision;
import io.scalesweep.trainer.data.TokenBatch;
import io.scalesweep.trainer.model.T5Model;
import io.scalesweep.trainer.optim.ConstantSchedule;
import io.scalesweep.trainer.optim.Optimizers;
import io.scalesweep.trainer.optim.StatefulOptimizer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Training throughput of one shape: the same step as pretraining ({@link TrainingLoop}: forward,
 * backward, optimizer update; the gradient norm only on the steps that report it) on a fixed batch of random tokens with no padding,
 * timed after warm-up steps. The third cost axis of the paper, measured on this machine.
 */
public final class ThroughputBench {

  /**
   * What to measure.
   *
   * @param warmupSteps untimed steps first
   * @param warmupSeconds and more untimed steps until this much time has passed: a JVM compiles
   *     its hot code during its first seconds, on the cores the steps use
   * @param precision the training arithmetic, as a recipe's {@code precision}
   * @param device where to train; null for the engine's default (a GPU when one is visible)
   */
  public record Config(
      Shape shape,
      int batch,
      int inputLength,
      int targetLength,
      Optimizer optimizer,
      int warmupSteps,
      double warmupSeconds,
      int steps,
      long seed,
      Precision precision,
      Device device) {}

  /**
   * @param gflopsPerSecond analytic training FLOPs ({@link FlopCounter}) per measured second
   * @param warmup untimed steps taken (at least the configured ones)
   * @param skippedSteps steps whose update was skipped (an fp16 overflow in mixed precision)
   */
  public record Result(
      long params,
      long flopsPerStep,
      double tokensPerSecond,
      double stepsPerSecond,
      double msPerStep,
      double gflopsPerSecond,
      double firstLoss,
      double lastLoss,
      String device,
      int warmup,
      int skippedSteps) {}

  private ThroughputBench() {}

  public static Result run(Config c) {
    Engine.getInstance().setRandomSeed(Long.hashCode(c.seed()));
    try (NDManager base =
            c.device() == null ? NDManager.newBaseManager() : NDManager.newBaseManager(c.device());
        StatefulOptimizer optimizer = Optimizers.create(c.optimizer());
        T5Model model = new T5Model(c.shape())) {
      NDManager modelManager = base.newSubManager();
      model.initialize(modelManager);
      modelManager.cap();
      TokenBatch batch = randomBatch(c);
      TrainingLoop loop =
          new TrainingLoop(
              Phase.PRETRAIN,
              List.of(),
              model,
              new ParameterStore(base, false),
              base,
              optimizer,
              new ConstantSchedule(0.01),
              () -> batch,
              1,
              0)
          .precision(c.precision(), null);
      double firstLoss = Double.NaN;
      double lastLoss = Double.NaN;
      double seconds = 0;
      int skipped = 0;
      int warmed = 0;
      long warmupStart = System.nanoTime();
      while (warmed < c.warmupSteps()
          || (System.nanoTime() - warmupStart) / 1e9 < c.warmupSeconds()) {
        StepOutcome outcome = loop.step(warmed == 0);
        firstLoss = warmed == 0 ? outcome.loss() : firstLoss;
        warmed++;
      }
      for (int i = 0; i < c.steps(); i++) {
        // the loss is read back only where it is reported, as a training run does
        boolean first = warmed == 0 && i == 0;
        StepOutcome outcome = loop.step(first || i == c.steps() - 1);
        firstLoss = first ? outcome.loss() : firstLoss;
        lastLoss = outcome.loss();
        seconds += outcome.seconds();
        skipped += outcome.repair() == StepRepair.SKIPPED ? 1 : 0;
      }
      long tokens = (long) c.batch() * (c.inputLength() + c.targetLength());
      long flops =
          FlopCounter.trainingFlopsPerStep(c.shape(), c.batch(), c.inputLength(), c.targetLength());
      double stepsPerSecond = c.steps() / seconds;
      return new Result(
          ParamCounter.count(c.shape()),
          flops,
          tokens * stepsPerSecond,
          stepsPerSecond,
          1000 / stepsPerSecond,
          flops * stepsPerSecond / 1e9,
          firstLoss,
          lastLoss,
          base.getDevice().toString(),
          warmed,
          skipped);
    }
  }

  /** Random ids below the vocabulary's top, every position a real token (masks all ones). */
  static TokenBatch randomBatch(Config c) {
    SplittableRandom random = new SplittableRandom(c.seed());
    int vocab = c.shape().vocabSize();
    int[] inputs =
        random.ints((long) c.batch() * c.inputLength(), T5Model.EOS_ID + 1, vocab).toArray();
    int[] targets =
        random.ints((long) c.batch() * c.targetLength(), T5Model.EOS_ID + 1, vocab).toArray();
    int[] decoderInput = new int[targets.length];
    for (int row = 0; row < c.batch(); row++) {
      int offset = row * c.targetLength();
      // teacher forcing: the targets shifted right behind the PAD start token
      System.arraycopy(targets, offset, decoderInput, offset + 1, c.targetLength() - 1);
    }
    int[] inputMask = new int[inputs.length];
    int[] targetMask = new int[targets.length];
    Arrays.fill(inputMask, 1);
    Arrays.fill(targetMask, 1);
    return new TokenBatch(
        c.batch(),
        c.inputLength(),
        c.targetLength(),
        inputs,
        inputMask,
        decoderInput,
        targets,
        targetMask);
  }
}
