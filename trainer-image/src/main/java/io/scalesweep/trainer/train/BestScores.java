package io.scalesweep.trainer.train;

import io.scalesweep.api.v1alpha1.BestScore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The peak of a fine-tuning run's scorings, which is what the paper reports: T5 fine-tunes for a
 * fixed number of steps, scores checkpoints along the way and takes each task's best. On a tie the
 * earlier step wins, as a later equal score adds nothing.
 */
final class BestScores {

  private BestScores() {}

  /** Each task's highest score and its step, tasks in the order they were first scored. */
  static Map<String, BestScore> perTask(List<Scoring> scorings) {
    Map<String, BestScore> best = new LinkedHashMap<>();
    for (Scoring scoring : scorings) {
      scoring.scores().forEach(
          (task, score) -> {
            BestScore so = best.get(task);
            if (so == null || score > so.getScore()) {
              best.put(task, new BestScore(score, scoring.step()));
            }
          });
    }
    return best;
  }

  /** The mean of the per-task bests, or NaN when nothing was scored. */
  static double average(Map<String, BestScore> best) {
    return best.values().stream().mapToDouble(BestScore::getScore).average().orElse(Double.NaN);
  }

  /** The step of the highest average score: the checkpoint worth keeping. */
  static OptionalLong bestStep(List<Scoring> scorings) {
    Scoring best = null;
    for (Scoring scoring : scorings) {
      if (best == null || scoring.average() > best.average()) {
        best = scoring;
      }
    }
    return best == null ? OptionalLong.empty() : OptionalLong.of(best.step());
  }
}
