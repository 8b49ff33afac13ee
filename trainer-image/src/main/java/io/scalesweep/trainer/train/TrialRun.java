package io.scalesweep.trainer.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialResult;
import io.scalesweep.trainer.data.CorpusStore;
import io.scalesweep.trainer.data.LocalCorpusStore;
import io.scalesweep.trainer.data.Tokenizer;
import io.scalesweep.trainer.data.Tokenizers;
import io.scalesweep.trainer.model.T5Model;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs one trial into its output: pretraining ({@link PretrainPhase}), then, when the trial has
 * {@code spec.finetune}, fine-tuning and downstream evaluation ({@link FinetunePhase}), each from
 * scratch or from its newest complete checkpoint; then {@code result.json}. What {@code scalesweep
 * train} runs in a pod, and what a local sweep runner calls once per trial.
 *
 * <pre>{@code
 * TrialResult result = new TrialRun(job, TrialOutputs.open("runs/nl16-sm"))
 *     .listener(new ProgressReporter(new PrintWriter(System.err)))
 *     .run();
 * }</pre>
 *
 * <p>Rerunning the same trial on the same output continues where the last complete checkpoint of
 * either phase left off, bit for bit on the same hardware and thread count; a trial already finished returns its
 * stored result. One run per JVM at a time (DJL's gradient collector is process-wide), on one
 * thread (grad mode is per thread).
 */
public final class TrialRun {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final TrainingJob job;
  private final TrialOutput output;
  private final List<ProgressListener> listeners = new ArrayList<>();
  private CorpusStore corpus = new LocalCorpusStore();
  private Long logEvery;
  private String owner;

  public TrialRun(TrainingJob job, TrialOutput output) {
    this.job = job;
    this.output = output;
    listeners.add(new MetricsLog(output));
    listeners.add(new ProgressFile(output, ProgressFile.intervalFromEnvironment()));
  }

  public TrialRun listener(ProgressListener listener) {
    listeners.add(listener);
    return this;
  }

  /** Where corpus files are read from; the local file system by default. */
  public TrialRun corpus(CorpusStore store) {
    this.corpus = store;
    return this;
  }

  /**
   * The UID the output folder must belong to ({@code owner.json}, written on the first start);
   * null, the default, checks nothing.
   */
  public TrialRun owner(String uid) {
    this.owner = uid;
    return this;
  }

  /** Steps between logged steps; by default about a hundred per run. */
  public TrialRun logEvery(long steps) {
    this.logEvery = Math.max(1, steps);
    return this;
  }

  /**
   * Validates, pretrains and fine-tunes (or resumes either), evaluates and writes the result.
   *
   * @throws InvalidSpecException when the trial can never run, naming the field
   * @throws GpuCheck.MissingGpuException when promised GPUs are not visible
   */
  public TrialResult run() throws IOException {
    long started = System.nanoTime();
    TrialValidator.ValidTrial trial = new TrialValidator(corpus).validate(job);
    TrialRecipe recipe = trial.recipe();
    FinetuneRecipe tuning = trial.finetune();
    TrialOwnership.settle(output, owner, job);
    boolean pretrains = tuning == null || !tuning.fromCheckpoint();
    PretrainPhase pretraining = new PretrainPhase(recipe, output, corpus);
    Optional<TrainingCheckpoints.Resumable<TrainingState>> pretrained =
        pretrains ? pretraining.latest() : Optional.empty();
    FinetunePhase finetuning =
        tuning == null
            ? null
            : new FinetunePhase(
                tuning,
                recipe.code(),
                output,
                pretrains ? recipe.fingerprint() + "@" + recipe.steps() : "checkpoint");
    Optional<TrainingCheckpoints.Resumable<FinetuneState>> finetuned =
        finetuning == null ? Optional.empty() : finetuning.latest();
    long lastStep =
        tuning == null
            ? pretrained.map(r -> r.state().step()).orElse(-1L)
            : finetuned.map(r -> r.state().step()).orElse(-1L);
    long steps = tuning == null ? recipe.steps() : tuning.steps();
    if (lastStep == steps && output.exists(StorageLayout.RESULT_FILE)) {
      TrialResult done =
          JSON.readValue(output.readAll(StorageLayout.RESULT_FILE), TrialResult.class);
      listeners.forEach(l -> l.finished(done));
      return done;
    }
    GpuCheck.requireExpectedGpus();
    Engine.getInstance().setRandomSeed(Long.hashCode(recipe.seed()));
    try (NDManager base = NDManager.newBaseManager();
        Tokenizer tokenizer = Tokenizers.fromSpec(recipe.pretrain().getTokenizer());
        T5Model model = new T5Model(recipe.shape())) {
      NDManager modelManager = base.newSubManager();
      model.initialize(modelManager);
      if (model.parameterCount() != recipe.params()) {
        throw new IllegalStateException(
            "model has "
                + model.parameterCount()
                + " parameters, ParamCounter says "
                + recipe.params());
      }
      // Every weight goes in before the cap; loading needs scratch managers under the model's.
      if (finetuned.isPresent()) {
        finetuned.get().restoreWeights(model);
      } else if (!pretrains) {
        new GivenCheckpoint(corpus, tuning.checkpoint()).load(model);
      } else if (pretrained.isPresent()) {
        pretrained.get().restoreWeights(model);
      }
      // From here on an array attached to the model's manager by mistake throws instead of leaking.
      modelManager.cap();
      TrialSession session =
          new TrialSession(
              model,
              new ParameterStore(base, false),
              base,
              tokenizer,
              List.copyOf(listeners),
              logEvery,
              started);
      model.setDropoutRate(recipe.pretrainDropout());
      TrialResult upstream;
      if (finetuned.isPresent()) {
        upstream = finetuned.get().state().upstream();
      } else if (!pretrains) {
        upstream = pretraining.evaluateOnly(session);
      } else {
        upstream = pretraining.run(session, pretrained);
      }
      TrialResult result =
          finetuning == null
              ? upstream
              : finetuning.run(
                  session,
                  upstream,
                  finetuned,
                  pretrains && finetuned.isEmpty() ? pretraining.latest() : Optional.empty());
      output.put(StorageLayout.RESULT_FILE, JSON.writeValueAsBytes(result));
      listeners.forEach(l -> l.finished(result));
      return result;
    }
  }
}
