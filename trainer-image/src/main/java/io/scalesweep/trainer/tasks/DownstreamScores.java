package io.scalesweep.trainer.tasks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What downstream evaluation measured.
 *
 * @param scores each task's validation score, 0 to 100, in task order
 * @param average the unweighted mean over tasks, as the paper averages its benchmarks
 * @param predictions each task's decoded validation outputs, in the split's order
 * @param byDifficulty for the tasks with a difficulty field, the score per difficulty level
 * @param seconds wall time of decoding and scoring
 */
public record DownstreamScores(
    Map<String, Double> scores,
    double average,
    Map<String, List<String>> predictions,
    Map<String, Map<String, Double>> byDifficulty,
    double seconds) {

  public DownstreamScores {
    scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
    byDifficulty = Collections.unmodifiableMap(new LinkedHashMap<>(byDifficulty));
    predictions = Collections.unmodifiableMap(new LinkedHashMap<>(predictions));
  }

  /** Validation examples decoded, over all tasks. */
  public int examples() {
    return predictions.values().stream().mapToInt(List::size).sum();
  }
}
