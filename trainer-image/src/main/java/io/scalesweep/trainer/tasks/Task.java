package io.scalesweep.trainer.tasks;

import io.scalesweep.api.v1alpha1.Metric;
import java.util.List;

/** A downstream task ready for fine-tuning: its examples and how its validation is scored. */
public record Task(
    String name, Metric metric, List<TextExample> train, List<TextExample> validation) {

  public Task {
    train = List.copyOf(train);
    validation = List.copyOf(validation);
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
}
