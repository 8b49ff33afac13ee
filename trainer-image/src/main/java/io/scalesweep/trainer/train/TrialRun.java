package io.scalesweep.trainer.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.v1alpha1.PretrainSpec;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialResult;
import io.scalesweep.trainer.data.CorpusStore;
import io.scalesweep.trainer.data.LocalCorpusStore;
import io.scalesweep.trainer.data.PretrainData;
import io.scalesweep.trainer.data.SpanCorruptionPipeline;
import io.scalesweep.trainer.data.Tokenizer;
import io.scalesweep.trainer.data.Tokenizers;
import io.scalesweep.trainer.model.T5Model;
import io.scalesweep.trainer.optim.Optimizers;
import io.scalesweep.trainer.optim.StatefulOptimizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pretrains one trial into its output, from scratch or from the newest complete checkpoint, and
 * writes {@code result.json}: what {@code scalesweep train} runs in a pod, and what a local sweep
 * runner calls once per trial.
 *
 * <pre>{@code
 * TrialResult result = new PretrainRun(job, TrialOutputs.open("runs/nl16-sm"))
 *     .listener(new ProgressReporter(new PrintWriter(System.err)))
 *     .run();
 * }</pre>
 *
 * <p>Rerunning the same trial on the same output continues where the last complete checkpoint left
 * off, bit for bit on the same hardware and thread count; a trial already finished returns its
 * stored result. One run per JVM at a time (DJL's gradient collector is process-wide), on one
 * thread (grad mode is per thread).
 */
public final class PretrainRun {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final TrainingJob job;
  private final TrialOutput output;
  private final List<ProgressListener> listeners = new ArrayList<>();
  private CorpusStore corpus = new LocalCorpusStore();
  private Long logEvery;

  public PretrainRun(TrainingJob job, TrialOutput output) {
    this.job = job;
    this.output = output;
    listeners.add(new MetricsLog(output));
  }

  public PretrainRun listener(ProgressListener listener) {
    listeners.add(listener);
    return this;
  }

  /** Where corpus files are read from; the local file system by default. */
  public PretrainRun corpus(CorpusStore store) {
    this.corpus = store;
    return this;
  }

  /** Steps between logged steps; by default about a hundred per run. */
  public PretrainRun logEvery(long steps) {
    this.logEvery = Math.max(1, steps);
    return this;
  }

  /**
   * Validates, trains (or resumes), evaluates and writes the result.
   *
   * @throws InvalidSpecException when the trial can never run, naming the field
   * @throws GpuCheck.MissingGpuException when promised GPUs are not visible
   */
  public TrialResult run() throws IOException {
    long started = System.nanoTime();
    TrialRecipe recipe = new TrialValidator(corpus).validate(job);
    TrainingCheckpoints checkpoints = new TrainingCheckpoints(new CheckpointStore(output));
    Optional<TrainingCheckpoints.Resumable> resume = checkpoints.latest();
    TrainingState from = resume.map(TrainingCheckpoints.Resumable::state).orElse(null);
    if (from != null) {
      checkResumable(recipe, from);
      if (from.step() == recipe.steps() && output.exists(StorageLayout.RESULT_FILE)) {
        TrialResult done =
            JSON.readValue(output.readAll(StorageLayout.RESULT_FILE), TrialResult.class);
        listeners.forEach(l -> l.finished(done));
        return done;
      }
    }
    GpuCheck.requireExpectedGpus();
    Engine.getInstance().setRandomSeed(Long.hashCode(recipe.seed()));
    PretrainSpec spec = recipe.pretrain();
    try (NDManager base = NDManager.newBaseManager();
        StatefulOptimizer optimizer = Optimizers.create(spec.getOptimizer());
        Tokenizer tokenizer = Tokenizers.fromSpec(spec.getTokenizer())) {
      NDManager modelManager = base.newSubManager();
      T5Model model = new T5Model(recipe.shape());
      model.initialize(modelManager);
      if (model.parameterCount() != recipe.params()) {
        throw new IllegalStateException(
            "model has "
                + model.parameterCount()
                + " parameters, ParamCounter says "
                + recipe.params());
      }
      if (resume.isPresent()) {
        resume.get().restore(model, optimizer);
      }
      // From here on an array attached to the model's manager by mistake throws instead of leaking.
      modelManager.cap();
      ParameterStore parameterStore = new ParameterStore(base, false);
      PretrainData data =
          new PretrainData(
              corpus, spec.getDataset(), spec.getValidation(), recipe.pipelineConfig());
      Session session = new Session(model, parameterStore, base, optimizer, tokenizer, data);
      Training training = train(recipe, from, session, checkpoints, started);
      HeldOutEvaluator.Evaluation evaluation;
      try (SpanCorruptionPipeline heldOut = data.evaluation(tokenizer)) {
        evaluation =
            HeldOutEvaluator.evaluate(
                model, parameterStore, base, heldOut, recipe.evalBatches() * recipe.accumulation());
      }
      listeners.forEach(l -> l.evaluated(evaluation));
      TrialResult result =
          result(
              recipe,
              training,
              evaluation,
              base.getDevice().toString(),
              (from == null ? 0 : from.wallSeconds()) + seconds(started));
      output.put(StorageLayout.RESULT_FILE, JSON.writeValueAsBytes(result));
      listeners.forEach(l -> l.finished(result));
      return result;
    }
  }

  /** What this attempt trains with. */
  private record Session(
      T5Model model,
      ParameterStore parameterStore,
      NDManager base,
      StatefulOptimizer optimizer,
      Tokenizer tokenizer,
      PretrainData data) {}

  /** How the training part ended: totals over all attempts. */
  private record Training(long steps, double lastLoss, long tokens, double trainSeconds) {}

  private Training train(
      TrialRecipe recipe,
      TrainingState from,
      Session session,
      TrainingCheckpoints checkpoints,
      long started)
      throws IOException {
    StatefulOptimizer optimizer = session.optimizer();
    long step = from == null ? 0 : from.step();
    double lastLoss = from == null ? Double.NaN : from.lastLoss();
    ProgressMeter meter =
        new ProgressMeter(
            recipe.steps(),
            logEvery != null ? logEvery : ProgressMeter.defaultLogEvery(recipe.steps()),
            from == null ? 0 : from.tokens(),
            from == null ? 0 : from.trainSeconds());
    long startStep = step;
    listeners.forEach(l -> l.started(recipe, startStep));
    String fingerprint = recipe.fingerprint();
    try (SpanCorruptionPipeline pipeline =
        session.data().training(session.tokenizer(), from == null ? null : from.data())) {
      PretrainLoop loop =
          new PretrainLoop(
              session.model(),
              session.parameterStore(),
              session.base(),
              optimizer,
              Optimizers.pretrainSchedule(recipe.pretrain()),
              pipeline::next,
              recipe.accumulation(),
              recipe.maxGradNorm());
      while (step < recipe.steps()) {
        StepOutcome outcome = loop.step();
        step = outcome.step();
        lastLoss = outcome.loss();
        Progress progress = meter.record(outcome);
        listeners.forEach(l -> l.stepped(progress));
        if (step % recipe.checkpointEvery() == 0 || step == recipe.steps()) {
          TrainingState state =
              new TrainingState(
                  recipe.code(),
                  step,
                  pipeline.state(),
                  recipe.seed(),
                  fingerprint,
                  optimizer.kind(),
                  lastLoss,
                  meter.tokens(),
                  meter.trainSeconds(),
                  (from == null ? 0 : from.wallSeconds()) + seconds(started));
          CheckpointStore.Checkpoint saved = checkpoints.save(session.model(), optimizer, state);
          long savedStep = step;
          listeners.forEach(l -> l.checkpointed(savedStep, output.locate(saved.folder())));
        }
      }
    }
    return new Training(step, lastLoss, meter.tokens(), meter.trainSeconds());
  }

  private void checkResumable(TrialRecipe recipe, TrainingState from) {
    if (!recipe.fingerprint().equals(from.recipe())) {
      throw new InvalidSpecException(
          "--output",
          output.locate(StorageLayout.CHECKPOINTS_DIR)
              + " holds checkpoints of another recipe"
              + " (shape, data, batch, optimizer or seed differ); give this trial its own output");
    }
    if (from.step() > recipe.steps()) {
      throw new InvalidSpecException(
          "spec.pretrain.steps",
          "spec.pretrain.steps is "
              + recipe.steps()
              + " but "
              + output.locate(StorageLayout.CHECKPOINTS_DIR)
              + " already holds step "
              + from.step());
    }
  }

  private static TrialResult result(
      TrialRecipe recipe,
      Training training,
      HeldOutEvaluator.Evaluation evaluation,
      String device,
      double wallSeconds) {
    TrialResult r = new TrialResult();
    r.setParams(recipe.params());
    r.setFlops(recipe.flopsPerStep());
    r.setSteps(training.steps());
    r.setTokensPerSecond(training.tokens() / training.trainSeconds());
    r.setStepsPerSecond(training.steps() / training.trainSeconds());
    r.setFinalLoss(training.lastLoss());
    r.setNegLogPerplexity(evaluation.negLogPerplexity());
    r.setWallSeconds(wallSeconds);
    r.setDevice(device);
    return r;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
