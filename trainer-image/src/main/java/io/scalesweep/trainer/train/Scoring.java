package io.scalesweep.trainer.train;

import java.util.Map;

/**
 * One validation scoring during fine-tuning, kept in the checkpoints' state so that a resumed run
 * still knows the best step before it.
 *
 * @param step the fine-tuning step whose weights were scored
 * @param scores each task's score, 0 to 100
 * @param average their unweighted mean
 */
public record Scoring(long step, Map<String, Double> scores, double average) {

  public Scoring {
    scores = Map.copyOf(scores);
  }
}
