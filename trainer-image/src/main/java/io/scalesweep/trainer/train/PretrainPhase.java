package io.scalesweep.trainer.train;

import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.v1alpha1.TrialResult;
import io.scalesweep.trainer.data.CorpusStore;
import io.scalesweep.trainer.data.PipelineState;
import io.scalesweep.trainer.data.Prefetcher;
import io.scalesweep.trainer.data.PretrainData;
import io.scalesweep.trainer.data.SpanCorruptionPipeline;
import io.scalesweep.trainer.optim.Optimizers;
import io.scalesweep.trainer.optim.StatefulOptimizer;
import java.io.IOException;
import java.util.Optional;

/**
 * Span-corruption pretraining of one trial, from scratch or from its newest complete checkpoint,
 * then the held-out evaluation: the upstream half of a {@link TrialResult}.
 */
final class PretrainPhase {

  private final TrialRecipe recipe;
  private final TrialOutput output;
  private final CorpusStore corpus;
  private final TrainingCheckpoints<TrainingState> checkpoints;

  PretrainPhase(TrialRecipe recipe, TrialOutput output, CorpusStore corpus) {
    this.recipe = recipe;
    this.output = output;
    this.corpus = corpus;
    this.checkpoints = TrainingCheckpoints.pretraining(output);
  }

  /**
   * The newest complete checkpoint, if any, checked to belong to this recipe.
   *
   * @throws InvalidSpecException when it was written by another recipe or past the step count
   */
  Optional<TrainingCheckpoints.Resumable<TrainingState>> latest() throws IOException {
    Optional<TrainingCheckpoints.Resumable<TrainingState>> latest = checkpoints.latest();
    if (latest.isPresent()) {
      checkResumable(latest.get().state());
    }
    return latest;
  }

  /**
   * Trains to the recipe's step count and evaluates. The model already holds the resumed
   * checkpoint's weights when {@code resume} is present; its optimizer state is restored here.
   */
  TrialResult run(
      TrialSession session, Optional<TrainingCheckpoints.Resumable<TrainingState>> resume)
      throws IOException {
    TrainingState from = resume.map(TrainingCheckpoints.Resumable::state).orElse(null);
    PretrainData data = data();
    Training training;
    try (StatefulOptimizer optimizer = Optimizers.create(recipe.pretrain().getOptimizer())) {
      if (resume.isPresent()) {
        resume.get().restoreOptimizer(optimizer);
      }
      training = train(session, data, optimizer, from);
    }
    HeldOutEvaluator.Evaluation evaluation = evaluate(session, data);
    TrialResult result = upstream(evaluation, session);
    result.setSteps(training.steps());
    result.setTokensPerSecond(training.tokens() / training.trainSeconds());
    result.setStepsPerSecond(training.steps() / training.trainSeconds());
    result.setFinalLoss(training.lastLoss());
    result.setSkippedSteps(training.skippedSteps());
    result.setRecomputedSteps(training.recomputedSteps());
    result.setWallSeconds(
        (from == null ? 0 : from.wallSeconds()) + session.secondsSinceStart());
    return result;
  }

  /**
   * For weights given from outside ({@code spec.finetune.checkpoint}): the held-out evaluation
   * only, so the given model is placed on the same upstream axis as the trained ones.
   */
  TrialResult evaluateOnly(TrialSession session) throws IOException {
    TrialResult result = upstream(evaluate(session, data()), session);
    result.setSteps(0L);
    result.setWallSeconds(session.secondsSinceStart());
    return result;
  }

  private PretrainData data() {
    return new PretrainData(
        corpus,
        recipe.pretrain().getDataset(),
        recipe.pretrain().getValidation(),
        recipe.pipelineConfig());
  }

  /** How the training part ended: totals over all attempts. */
  private record Training(
      long steps,
      double lastLoss,
      long tokens,
      double trainSeconds,
      long skippedSteps,
      long recomputedSteps) {}

  private Training train(
      TrialSession session, PretrainData data, StatefulOptimizer optimizer, TrainingState from)
      throws IOException {
    long step = from == null ? 0 : from.step();
    double lastLoss = from == null ? Double.NaN : from.lastLoss();
    ProgressMeter meter =
        new ProgressMeter(
            Phase.PRETRAIN,
            recipe.steps(),
            session.logEvery(recipe.steps()),
            from == null ? 0 : from.tokens(),
            from == null ? 0 : from.trainSeconds(),
            from == null ? 0 : from.skippedSteps(),
            from == null ? 0 : from.recomputedSteps());
    long startStep = step;
    session.listeners().forEach(l -> l.started(recipe, startStep));
    String fingerprint = recipe.fingerprint();
    try (SpanCorruptionPipeline pipeline =
            data.training(session.tokenizer(), from == null ? null : from.data());
        Prefetcher<PipelineState> batches =
            new Prefetcher<>(
                pipeline::next, pipeline::state, 2 * recipe.accumulation(), "pretrain-data")) {
      TrainingLoop loop =
          new TrainingLoop(
              Phase.PRETRAIN,
              session.listeners(),
              session.model(),
              session.parameterStore(),
              session.base(),
              optimizer,
              Optimizers.pretrainSchedule(recipe.pretrain()),
              batches,
              recipe.accumulation(),
              recipe.maxGradNorm())
          .precision(recipe.precision(), from == null ? null : from.lossScale());
      StepOutcome last =
          loop.runTo(
              startStep,
              recipe.steps(),
              recipe.checkpointEvery(),
              meter,
              session.listeners(),
              outcome -> {
                TrainingState state =
                    new TrainingState(
                        recipe.code(),
                        outcome.step(),
                        batches.state(),
                        recipe.seed(),
                        fingerprint,
                        optimizer.kind(),
                        outcome.loss(),
                        meter.tokens(),
                        meter.trainSeconds(),
                        meter.skippedSteps(),
                        meter.recomputedSteps(),
                        (from == null ? 0 : from.wallSeconds()) + session.secondsSinceStart(),
                        loop.lossScale());
                return output.locate(
                    checkpoints.save(session.model(), optimizer, state).folder());
              });
      if (last != null) {
        step = last.step();
        lastLoss = last.loss();
      }
    }
    return new Training(
        step,
        lastLoss,
        meter.tokens(),
        meter.trainSeconds(),
        meter.skippedSteps(),
        meter.recomputedSteps());
  }

  private HeldOutEvaluator.Evaluation evaluate(TrialSession session, PretrainData data) {
    HeldOutEvaluator.Evaluation evaluation;
    try (SpanCorruptionPipeline heldOut = data.evaluation(session.tokenizer())) {
      evaluation =
          HeldOutEvaluator.evaluate(
              session.model(),
              session.parameterStore(),
              session.base(),
              heldOut,
              recipe.evalBatches() * recipe.accumulation());
    }
    session.listeners().forEach(l -> l.evaluated(evaluation));
    return evaluation;
  }

  private TrialResult upstream(HeldOutEvaluator.Evaluation evaluation, TrialSession session) {
    TrialResult r = new TrialResult();
    r.setParams(recipe.params());
    r.setFlops(recipe.flopsPerStep());
    r.setNegLogPerplexity(evaluation.negLogPerplexity());
    r.setDevice(session.base().getDevice().toString());
    return r;
  }

  private void checkResumable(TrainingState from) {
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
}
