package io.scalesweep.trainer.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.scalesweep.api.v1alpha1.Precision;
import io.scalesweep.trainer.data.TokenBatch;
import io.scalesweep.trainer.model.HalfMatmuls;
import io.scalesweep.trainer.model.T5Model;
import io.scalesweep.trainer.optim.GradientClipping;
import io.scalesweep.trainer.optim.LearningRateSchedule;
import io.scalesweep.trainer.optim.StatefulOptimizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

/**
 * One optimizer step of text-to-text training, pretraining's span corruption and fine-tuning's
 * tasks alike (both are teacher-forced cross-entropy on the targets): a batch's forward and
 * backward passes ({@link BatchGradients}), optional global-norm clipping, the update, and what a
 * step does when its loss or gradient is not finite. Each step's arrays live in a sub-manager
 * closed when it ends, so a long run holds a flat number of arrays.
 *
 * <p>The gradient collector is one per JVM and grad mode is per thread: call {@link #step} from one
 * thread, with no other training in the process.
 */
public final class TrainingLoop {

  /** Skipped updates in a row after which a run is called diverged. */
  static final int MAX_SKIPPED_IN_A_ROW = 10;

  private final T5Model model;
  private final ParameterStore parameterStore;
  private final BatchGradients gradients;
  /** Null in fp32. */
  private LossScaler scaler;
  private final NDManager stepParent;
  private final StatefulOptimizer optimizer;
  private final LearningRateSchedule schedule;
  private final Supplier<TokenBatch> data;
  private final int accumulation;
  private final double maxGradNorm;
  private final PairList<String, Parameter> parameters;
  private final Phase phase;
  private final List<ProgressListener> listeners;
  private int skippedInARow;
  private final LossWindow window;
  private Long dropoutSeed;
  /**
   * Optimizer updates before this phase's first step: non-zero when the optimizer's state, step
   * count included, was carried over from an earlier phase (fine-tuning after pretraining).
   */
  private long stepOffset;

  /**
   * @param stepParent manager under which each micro-batch opens its own sub-manager (never the
   *     model's manager, which may be capped)
   * @param data micro-batches, endless (a training pipeline's {@code next}, or synthetic ones)
   * @param maxGradNorm global-norm clip, 0 for none
   * @param phase the phase whose recipe the messages name
   * @param listeners told of repaired and skipped steps
   */
  public TrainingLoop(
      Phase phase,
      List<ProgressListener> listeners,
      T5Model model,
      ParameterStore parameterStore,
      NDManager stepParent,
      StatefulOptimizer optimizer,
      LearningRateSchedule schedule,
      Supplier<TokenBatch> data,
      int accumulation,
      double maxGradNorm) {
    this.model = model;
    this.parameterStore = parameterStore;
    this.stepParent = stepParent;
    this.optimizer = optimizer;
    this.schedule = schedule;
    this.data = data;
    this.accumulation = accumulation;
    this.maxGradNorm = maxGradNorm;
    this.phase = phase;
    this.listeners = listeners;
    // Hugging Face names key the optimizer state too, so its checkpoint survives refactors of the
    // block tree just as the weights do.
    this.parameters = new PairList<>(model.namedParameters());
    this.gradients = new BatchGradients(model, parameterStore, parameters);
    this.window = new LossWindow(stepParent.newSubManager());
  }

  /** Adds T5's auxiliary z-loss, {@code coefficient} times the squared log normaliser. */
  public TrainingLoop zLoss(double coefficient) {
    gradients.zLoss((float) coefficient);
    return this;
  }

  /**
   * Reseeds the engine's generator from {@code seed} and the step before each step, so dropout's
   * masks depend only on the step and a resumed run draws the same ones.
   */
  public TrainingLoop dropoutSeed(long seed) {
    this.dropoutSeed = seed;
    return this;
  }

  /**
   * Trains in {@code precision}; for mixed-fp16, continuing the loss scaling of {@code lossScale}
   * (a checkpoint's) or from the start when it is null.
   */
  public TrainingLoop precision(Precision precision, LossScaler.State lossScale) {
    if (precision == Precision.MIXED_FP16) {
      return mixedPrecision(
          lossScale == null
              ? new LossScaler()
              : new LossScaler(lossScale, LossScaler.GROWTH_INTERVAL));
    }
    return this;
  }

  /**
   * Mixed precision: the forward pass computes its matrix products in fp16 (the weights stay fp32,
   * the optimizer updates them), the loss is scaled by {@code scaler} before the backward pass and
   * the gradients unscaled before clipping and the update; a gradient that overflows fp16 skips
   * its update (counted as skipped) and halves the scale.
   */
  public TrainingLoop mixedPrecision(LossScaler scaler) {
    this.scaler = scaler;
    gradients.mixedPrecision(new HalfMatmuls(parameterStore, stepParent), scaler);
    return this;
  }

  /** The loss scaler's state, for a checkpoint; null in fp32. */
  public LossScaler.State lossScale() {
    return scaler == null ? null : scaler.state();
  }

  /** Takes the next optimizer step and reads its loss and gradient norm back. */
  public StepOutcome step() {
    return step(true);
  }

  /**
   * Takes the next optimizer step.
   *
   * <p>Only an observed step (one that is logged or checkpointed) reads its loss and computes the
   * gradient norm; the others leave the loss on the device, added to the sum since the last
   * observed step, and report NaN for both (the norm is still computed when clipping needs it).
   * Whether the step is finite is decided from one value the optimizer reads back per step: the
   * one host synchronisation of a step that is not observed, clipped or not, in fp32 and mixed
   * precision alike (the loss scaler decides from the same value). DJL offers no way to skip an
   * update on the device, so this one stays.
   *
   * <p>A loss or gradient that is not finite is computed a second time from the same batch and
   * weights before anything is decided, because on one machine that computation is deterministic:
   * a non-finite result that does not come back was read from memory it should not have been (a
   * bug, reported as a warning, and the step goes on with the second result); one that comes back
   * is the model's. A non-finite loss then ends the run; a non-finite gradient under a finite loss
   * skips the update, and ends the run after {@link #MAX_SKIPPED_IN_A_ROW} such steps in a row.
   * In mixed precision a non-finite gradient under a finite loss is first taken for an fp16
   * overflow: the update is skipped and the loss scale halved, without a second computation (it
   * would overflow again) and without counting towards the limit, until the scale is down to
   * {@link LossScaler#MIN_SCALE}.
   *
   * @param observe whether to read the loss and gradient norm back for this step
   * @throws TrainingDivergedException when the run cannot go on
   * @throws Interruption.Interrupted when the process is shutting down (before any work)
   */
  public StepOutcome step(boolean observe) {
    Interruption.check();
    long start = System.nanoTime();
    long step = optimizer.steps() - stepOffset + 1;
    List<TokenBatch> batches = new ArrayList<>(accumulation);
    long targetTokens = 0;
    long tokens = 0;
    for (int i = 0; i < accumulation; i++) {
      TokenBatch batch = data.get();
      batches.add(batch);
      targetTokens += batch.targetTokens();
      tokens += batch.tokenCount();
    }
    if (dropoutSeed != null) {
      Engine.getInstance().setRandomSeed(Long.hashCode(dropoutSeed * 1_000_003L + step));
    }
    float learningRate = schedule.at(step);
    try (NDManager scope = stepParent.newSubManager()) {
      NDArray loss = gradients.compute(batches, targetTokens, scope);
      float norm;
      if (maxGradNorm > 0) {
        // clipped on the device; the norm is read back only for a step that reports it
        NDArray measured = GradientClipping.clipOnDevice(parameters, (float) maxGradNorm, scope);
        norm = observe ? measured.getFloat() : Float.NaN;
      } else {
        norm = observe ? GradientClipping.globalNorm(parameters) : Float.NaN;
      }
      if (optimizer.step(parameters, learningRate, loss)) {
        skippedInARow = 0;
        if (scaler != null) {
          scaler.applied();
        }
        return outcome(step, loss, learningRate, norm, tokens, start, StepRepair.NONE, observe);
      }
      if (scaler != null) {
        norm = Float.isNaN(norm) ? GradientClipping.globalNorm(parameters) : norm;
        if (overflowed(loss, norm)) {
          return overflow(step, loss, norm, tokens, start);
        }
      }
      return repair(step, batches, targetTokens, tokens, start, learningRate, loss, norm, scope);
    }
  }

  /**
   * Mixed precision, after a refused update: whether the gradient overflowed under a finite loss
   * and the scale can still back off.
   */
  private boolean overflowed(NDArray loss, float norm) {
    return !Float.isFinite(norm)
        && Double.isFinite(loss.getDouble())
        && scaler.scale() > LossScaler.MIN_SCALE;
  }

  /** Skips the update of a step whose fp16 gradient overflowed, and halves the loss scale. */
  private StepOutcome overflow(long step, NDArray loss, float norm, long tokens, long start) {
    float from = scaler.scale();
    scaler.backOff();
    warn(step, "the fp16 gradient overflowed at loss scale " + from + ": this update is skipped"
        + " and the scale halved to " + scaler.scale());
    optimizer.skip(parameters);
    return outcome(step, loss, 0f, norm, tokens, start, StepRepair.SKIPPED, true);
  }

  /** The slow path of a step whose loss, gradient or update was not finite. */
  private StepOutcome repair(
      long step,
      List<TokenBatch> batches,
      long targetTokens,
      long tokens,
      long start,
      float learningRate,
      NDArray firstLoss,
      float firstNorm,
      NDManager scope) {
    // the optimizer changed nothing, so the gradients are still those of the first pass
    float norm = Float.isNaN(firstNorm) ? GradientClipping.globalNorm(parameters) : firstNorm;
    Pass pass = new Pass(firstLoss.getDouble(), norm);
    StatefulOptimizer.zeroGradients(parameters);
    NDArray againLoss = gradients.compute(batches, targetTokens, scope);
    Pass again = new Pass(againLoss.getDouble(), GradientClipping.globalNorm(parameters));
    if (again.finite()) {
      if (maxGradNorm > 0) {
        GradientClipping.clip(parameters, again.norm(), (float) maxGradNorm);
      }
      if (optimizer.step(parameters, learningRate, againLoss)) {
        skippedInARow = 0;
        if (!pass.finite()) {
          warn(step, "the " + pass.describe() + " but a second computation of the same batch"
              + " with the same weights gave loss " + again.loss() + " and gradient norm "
              + again.norm() + ": memory was corrupted (a bug in the trainer or the native"
              + " library, not the recipe); going on with the second computation. Please report"
              + " this.");
          return outcome(step, againLoss, learningRate, again.norm(), tokens, start,
              StepRepair.RECOMPUTED, true);
        }
        // the first pass was finite after all: nothing was repaired
        return outcome(step, againLoss, learningRate, again.norm(), tokens, start,
            StepRepair.NONE, true);
      }
      return skip(step, againLoss, again, tokens, start, "the update is not finite (loss "
          + again.loss() + ", gradient norm " + again.norm() + "): this update is skipped");
    }
    if (!Double.isFinite(again.loss())) {
      throw TrainingDivergedException.loss(phase, step, again.loss(), weightsFinite());
    }
    return skip(step, againLoss, again, tokens, start, "the gradient is not finite (loss "
        + again.loss() + "), also when computed a second time: this update is skipped");
  }

  private StepOutcome skip(
      long step, NDArray loss, Pass again, long tokens, long start, String message) {
    skippedInARow++;
    if (skippedInARow >= MAX_SKIPPED_IN_A_ROW) {
      throw TrainingDivergedException.gradient(phase, step, skippedInARow, again.loss());
    }
    warn(step, message);
    optimizer.skip(parameters);
    return outcome(step, loss, 0f, again.norm(), tokens, start, StepRepair.SKIPPED, true);
  }

  /**
   * Adds the step's loss to the window on the device; an observed step reads the window back and
   * starts a new one.
   */
  private StepOutcome outcome(
      long step,
      NDArray loss,
      float learningRate,
      float norm,
      long tokens,
      long start,
      StepRepair repair,
      boolean observe) {
    window.add(loss);
    if (!observe) {
      return new StepOutcome(step, Double.NaN, learningRate, Float.NaN, tokens, seconds(start),
          repair, 0, 0);
    }
    // finite: a step with a non-finite loss never gets here
    LossWindow.Drained drained = window.drain();
    return new StepOutcome(step, loss.getDouble(), learningRate, norm, tokens, seconds(start),
        repair, drained.lossSum(), drained.lossSteps());
  }

  /** Loss per target token and the global gradient norm of one forward and backward pass. */
  private record Pass(double loss, float norm) {
    boolean finite() {
      return Double.isFinite(loss) && Float.isFinite(norm);
    }

    String describe() {
      return Double.isFinite(loss) ? "gradient norm was " + norm : "loss was " + loss;
    }
  }

  private boolean weightsFinite() {
    try (NDManager scope = stepParent.newSubManager()) {
      for (Parameter parameter : model.namedParameters().values()) {
        NDArray weight = parameter.getArray();
        weight.tempAttach(scope);
        if (weight.isNaN().any().getBoolean() || weight.isInfinite().any().getBoolean()) {
          return false;
        }
      }
      return true;
    }
  }

  private void warn(long step, String message) {
    listeners.forEach(l -> l.warned(phase, step, message));
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  /** What a phase does at a checkpoint step: saves the checkpoint and says where it went. */
  @FunctionalInterface
  interface Checkpointer {
    String save(StepOutcome last) throws IOException;
  }

  /**
   * Steps from {@code from} until {@code total}, every step reported to the listeners, a
   * checkpoint every {@code every} steps and at the last: the body both phases share.
   *
   * @return the last step's outcome, or null when {@code from} was already {@code total}
   */
  StepOutcome runTo(
      long from,
      long total,
      int every,
      ProgressMeter meter,
      List<ProgressListener> listeners,
      Checkpointer checkpointer)
      throws IOException {
    return runTo(from, total, s -> s % every == 0, meter, listeners, checkpointer);
  }

  /** As {@link #runTo(long, long, int, ProgressMeter, List, Checkpointer)}, at chosen steps. */
  StepOutcome runTo(
      long from,
      long total,
      LongPredicate saveAt,
      ProgressMeter meter,
      List<ProgressListener> listeners,
      Checkpointer checkpointer)
      throws IOException {
    StepOutcome last = null;
    // the optimizer may count the updates of an earlier phase too (fine-tuning's carried state)
    stepOffset = optimizer.steps() - from;
    for (long step = from; step < total; step = last.step()) {
      long next = step + 1;
      last = step(meter.logs(next) || saveAt.test(next) || next == total);
      Progress progress = meter.record(last);
      listeners.forEach(l -> l.stepped(progress));
      if (saveAt.test(last.step()) || last.step() == total) {
        String location = checkpointer.save(last);
        long saved = last.step();
        listeners.forEach(l -> l.checkpointed(saved, location));
      }
    }
    return last;
  }
}
