package io.scalesweep.trainer.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.v1alpha1.BestScore;
import io.scalesweep.api.v1alpha1.TrialResult;
import io.scalesweep.trainer.data.TokenBatch;
import io.scalesweep.trainer.optim.Optimizers;
import io.scalesweep.trainer.optim.StatefulOptimizer;
import io.scalesweep.trainer.tasks.DownstreamEvaluator;
import io.scalesweep.trainer.tasks.DownstreamScores;
import io.scalesweep.trainer.tasks.Task;
import io.scalesweep.trainer.tasks.TaskMixture;
import io.scalesweep.trainer.tasks.TextBatcher;
import io.scalesweep.trainer.tasks.TextExample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Fine-tuning of one trial on its task mixture at a constant learning rate with dropout (T5 1.0's
 * recipe), with checkpoints under {@code finetune/checkpoints/} that a retried attempt resumes from
 * exactly as pretraining does; greedy decoding of every validation split every {@code evalEvery}
 * steps and at the last, and the scores: the last and each task's best. Only the newest
 * fine-tuning checkpoint is kept, and the one of the best average score: they exist to resume and
 * to keep the peak, the pretraining ones to be kept.
 */
final class FinetunePhase {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final FinetuneRecipe recipe;
  private final String code;
  private final TrialOutput output;
  private final String fingerprint;
  private final CheckpointStore store;
  private final TrainingCheckpoints<FinetuneState> checkpoints;

  /**
   * @param upstream what fine-tuning starts from, for its fingerprint: the pretraining recipe's
   *     fingerprint and step count (a given checkpoint is part of the recipe itself)
   */
  FinetunePhase(FinetuneRecipe recipe, String code, TrialOutput output, String upstream) {
    this.recipe = recipe;
    this.code = code;
    this.output = output;
    this.fingerprint = recipe.fingerprint(upstream);
    this.store = CheckpointStore.finetuning(output);
    this.checkpoints = new TrainingCheckpoints<>(store, FinetuneState::fromJson);
  }

  /**
   * The newest complete fine-tuning checkpoint, if any, checked to belong to this recipe.
   *
   * @throws InvalidSpecException when another recipe wrote it, or it is past the step count
   */
  Optional<TrainingCheckpoints.Resumable<FinetuneState>> latest() throws IOException {
    Optional<TrainingCheckpoints.Resumable<FinetuneState>> latest = checkpoints.latest();
    if (latest.isEmpty()) {
      return latest;
    }
    FinetuneState from = latest.get().state();
    String folder = output.locate(StorageLayout.FINETUNE_DIR + "/" + StorageLayout.CHECKPOINTS_DIR);
    if (!fingerprint.equals(from.recipe())) {
      throw new InvalidSpecException(
          "--output",
          folder + " holds fine-tuning checkpoints of another recipe (pretraining, tasks, batch,"
              + " lengths or learning rate differ); give this trial its own output");
    }
    if (from.step() > recipe.steps()) {
      throw new InvalidSpecException(
          "spec.finetune.steps",
          "spec.finetune.steps is " + recipe.steps() + " but " + folder
              + " already holds step " + from.step());
    }
    return latest;
  }

  /**
   * Fine-tunes to the recipe's step count, scores every task and returns the whole result. The
   * model holds the weights to start from: the pretrained ones, the given checkpoint's, or those of
   * {@code resume}, whose optimizer state and mixture position are restored here. Without {@code
   * resume}, the optimizer starts from {@code pretrained}'s state, step count included, as T5
   * restores every variable of its pretraining checkpoint: a fresh Adafactor's first updates (decay
   * 0 at step 1) would be sign-like.
   *
   * @param pretrained the trial's last pretraining checkpoint; empty for given weights
   */
  TrialResult run(
      TrialSession session,
      TrialResult upstream,
      Optional<TrainingCheckpoints.Resumable<FinetuneState>> resume,
      Optional<TrainingCheckpoints.Resumable<TrainingState>> pretrained)
      throws IOException {
    FinetuneState from = resume.map(TrainingCheckpoints.Resumable::state).orElse(null);
    double wallBefore = from != null ? from.wallSeconds() : upstream.getWallSeconds();
    long attemptStart = System.nanoTime();
    TextBatcher batcher =
        new TextBatcher(session.tokenizer(), recipe.inputLength(), recipe.targetLength());
    DownstreamEvaluator evaluator =
        new DownstreamEvaluator(
            session.model(),
            session.parameterStore(),
            session.base(),
            batcher,
            recipe.batchSize());
    List<Scoring> scorings = new ArrayList<>(from == null ? List.of() : from.scorings());
    Tuned tuned;
    float pretrainingDropout = session.model().dropoutRate();
    session.model().setDropoutRate(recipe.dropout());
    try (StatefulOptimizer optimizer = Optimizers.create(recipe.optimizer())) {
      if (resume.isPresent()) {
        resume.get().restoreOptimizer(optimizer);
      } else if (pretrained.isPresent()) {
        pretrained.get().restoreOptimizer(optimizer);
      }
      tuned =
          train(session, batcher, optimizer, evaluator, scorings, from, upstream, wallBefore,
              attemptStart);
    } finally {
      session.model().setDropoutRate(pretrainingDropout);
    }
    DownstreamScores scores = tuned.last();
    if (scores == null) {
      // the last step's checkpoint was saved by an attempt that stopped before writing the result
      scores = evaluator.evaluate(recipe.tasks());
      long last = recipe.steps();
      if (scorings.stream().noneMatch(s -> s.step() == last)) {
        scorings.add(new Scoring(last, scores.scores(), scores.average()));
      }
    }
    DownstreamScores finalScores = scores;
    session.listeners().forEach(l -> l.scored(finalScores));
    writePredictions(scores);
    TrialResult result = JSON.readValue(JSON.writeValueAsBytes(upstream), TrialResult.class);
    result.setDownstream(scores.scores());
    result.setDownstreamAverage(scores.average());
    Map<String, BestScore> best = BestScores.perTask(scorings);
    result.setDownstreamBest(best);
    result.setDownstreamBestAverage(BestScores.average(best));
    result.setDownstreamByDifficulty(
        scores.byDifficulty().isEmpty() ? null : new LinkedHashMap<>(scores.byDifficulty()));
    result.setSkippedSteps(plus(upstream.getSkippedSteps(), tuned.meter().skippedSteps()));
    result.setRecomputedSteps(
        plus(upstream.getRecomputedSteps(), tuned.meter().recomputedSteps()));
    result.setWallSeconds(wallBefore + (System.nanoTime() - attemptStart) / 1e9);
    return result;
  }

  /** Pretraining's count (none when the weights were given) plus fine-tuning's. */
  private static long plus(Long upstream, long finetune) {
    return (upstream == null ? 0 : upstream) + finetune;
  }

  /**
   * How training ended: the meter holds the totals of all attempts; {@code last} the scores of
   * the last step when this attempt scored it, else null.
   */
  private record Tuned(ProgressMeter meter, DownstreamScores last) {}

  /** Whether the weights after {@code step} are scored: every evalEvery steps and the last. */
  private boolean scoredAt(long step) {
    return step == recipe.steps() || (recipe.evalEvery() > 0 && step % recipe.evalEvery() == 0);
  }

  /**
   * Fine-tunes to the recipe's step count, scoring the model at the steps {@link #scoredAt} names
   * (each also a checkpoint, whose state holds the scorings so far).
   */
  private Tuned train(
      TrialSession session,
      TextBatcher batcher,
      StatefulOptimizer optimizer,
      DownstreamEvaluator evaluator,
      List<Scoring> scorings,
      FinetuneState from,
      TrialResult upstream,
      double wallBefore,
      long attemptStart)
      throws IOException {
    TaskMixture mixture = recipe.mixture();
    if (from != null) {
      mixture.restore(from.mixture());
    }
    float learningRate = recipe.learningRate();
    Supplier<TokenBatch> batches =
        recipe.pack()
            ? () -> batcher.packedBatch(mixture::next, recipe.batchSize())
            : () -> batcher.batch(mixture.next(recipe.batchSize()));
    TrainingLoop loop =
        new TrainingLoop(
                Phase.FINETUNE,
                session.listeners(),
                session.model(),
                session.parameterStore(),
                session.base(),
                optimizer,
                step -> learningRate,
                batches,
                1,
                recipe.maxGradNorm())
            .zLoss(recipe.zLoss())
            .precision(recipe.precision(), from == null ? null : from.lossScale());
    if (recipe.dropout() > 0) {
      loop.dropoutSeed(recipe.seed());
    }
    long startStep = from == null ? 0 : from.step();
    ProgressMeter meter =
        new ProgressMeter(
            Phase.FINETUNE,
            recipe.steps(),
            session.logEvery(recipe.steps()),
            from == null ? 0 : from.tokens(),
            from == null ? 0 : from.trainSeconds(),
            from == null ? 0 : from.skippedSteps(),
            from == null ? 0 : from.recomputedSteps());
    session.listeners().forEach(l -> l.finetuneStarted(recipe, startStep));
    DownstreamScores[] last = new DownstreamScores[1];
    loop.runTo(
        startStep,
        recipe.steps(),
        step -> step % recipe.checkpointEvery() == 0 || scoredAt(step),
        meter,
        session.listeners(),
        outcome -> {
          if (scoredAt(outcome.step())) {
            DownstreamScores scores = evaluator.evaluate(recipe.tasks());
            scorings.add(new Scoring(outcome.step(), scores.scores(), scores.average()));
            if (outcome.step() == recipe.steps()) {
              last[0] = scores;
            }
          }
          FinetuneState state =
              new FinetuneState(
                  code,
                  outcome.step(),
                  mixture.state(),
                  fingerprint,
                  optimizer.kind(),
                  outcome.loss(),
                  meter.tokens(),
                  meter.trainSeconds(),
                  meter.skippedSteps(),
                  meter.recomputedSteps(),
                  wallBefore + (System.nanoTime() - attemptStart) / 1e9,
                  upstream,
                  scorings,
                  loop.lossScale());
          CheckpointStore.Checkpoint saved = checkpoints.save(session.model(), optimizer, state);
          dropOlderThan(outcome.step(), BestScores.bestStep(scorings));
          return output.locate(saved.folder());
        });
    return new Tuned(meter, last[0]);
  }

  /**
   * Deletes the fine-tuning checkpoints before {@code step}, once that one is complete, except the
   * one of the best average score so far.
   */
  private void dropOlderThan(long step, OptionalLong best) throws IOException {
    for (long older : store.steps()) {
      if (older < step && (best.isEmpty() || older != best.getAsLong())) {
        store.delete(older);
      }
    }
  }

  /**
   * {@code finetune/predictions/<task>.jsonl}: what the model wrote for each validation input,
   * beside the accepted answers, so a score can be looked into.
   */
  private void writePredictions(DownstreamScores scores) throws IOException {
    for (Task task : recipe.tasks()) {
      List<String> predicted = scores.predictions().get(task.name());
      ByteArrayOutputStream lines = new ByteArrayOutputStream();
      for (int i = 0; i < predicted.size(); i++) {
        TextExample example = task.validation().get(i);
        ObjectNode line = JSON.createObjectNode();
        line.put("input", example.input());
        line.put("prediction", predicted.get(i));
        line.putPOJO("references", example.references());
        lines.write((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      output.put(StorageLayout.predictionsFile(task.name()), lines.toByteArray());
    }
  }
}
