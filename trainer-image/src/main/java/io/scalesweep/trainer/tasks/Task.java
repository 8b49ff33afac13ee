package io.scalesweep.trainer.tasks;

import io.scalesweep.api.v1alpha1.Metric;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A downstream task ready for fine-tuning: its examples and how its validation is scored.
 *
 * @param difficulties each validation example's value of the task's {@code difficultyField}, in
 *     order; empty when the task names none
 */
public record Task(
    String name,
    Metric metric,
    List<TextExample> train,
    List<TextExample> validation,
    List<String> difficulties) {

  public Task {
    train = List.copyOf(train);
    validation = List.copyOf(validation);
    difficulties = List.copyOf(difficulties);
    if (!difficulties.isEmpty() && difficulties.size() != validation.size()) {
      throw new IllegalArgumentException(
          "task " + name + " has " + difficulties.size() + " difficulties for "
              + validation.size() + " validation examples");
    }
  }

  public Task(
      String name, Metric metric, List<TextExample> train, List<TextExample> validation) {
    this(name, metric, train, validation, List.of());
  }

  /** The accepted answers of each validation example, in order. */
  public List<List<String>> references() {
    return validation.stream().map(TextExample::references).toList();
  }

  /**
   * The task's score, 0 to 100, of predictions for the validation inputs in order.
   *
   * @throws IllegalArgumentException when there is not one prediction per validation example
   */
  public double score(List<String> predictions) {
    return Metrics.score(metric, predictions, references());
  }

  /**
   * The score of each difficulty level's examples alone, levels in numeric order when they are
   * numbers (so 10 comes after 9), else in text order; empty without a difficulty field.
   */
  public Map<String, Double> scoreByDifficulty(List<String> predictions) {
    if (difficulties.isEmpty()) {
      return Map.of();
    }
    if (predictions.size() != validation.size()) {
      throw new IllegalArgumentException(
          predictions.size() + " predictions for " + validation.size() + " examples");
    }
    Map<String, List<Integer>> byLevel = new TreeMap<>(LEVEL_ORDER);
    for (int i = 0; i < difficulties.size(); i++) {
      byLevel.computeIfAbsent(difficulties.get(i), k -> new ArrayList<>()).add(i);
    }
    List<List<String>> references = references();
    Map<String, Double> scores = new LinkedHashMap<>();
    byLevel.forEach(
        (level, rows) ->
            scores.put(
                level,
                Metrics.score(
                    metric,
                    rows.stream().map(predictions::get).toList(),
                    rows.stream().map(references::get).toList())));
    return scores;
  }

  private static final Comparator<String> LEVEL_ORDER =
      Comparator.<String, Double>comparing(Task::numeric, Comparator.nullsLast(Double::compare))
          .thenComparing(Comparator.naturalOrder());

  private static Double numeric(String level) {
    try {
      return Double.valueOf(level);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
