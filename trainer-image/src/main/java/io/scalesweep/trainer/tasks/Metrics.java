package io.scalesweep.trainer.tasks;

import io.scalesweep.api.v1alpha1.Metric;
import java.util.List;
import java.util.TreeSet;
import java.util.function.ToDoubleBiFunction;

/**
 * The downstream scores a task can declare, on predicted and reference texts, 0 to 100 as the
 * paper reports them. Classification scores compare texts exactly after trimming, because a
 * model that writes {@code true} where {@code True} is expected has not learnt the task's format.
 */
public final class Metrics {

  private Metrics() {}

  /**
   * The declared metric of predictions against each example's accepted answers.
   *
   * @throws IllegalArgumentException when the lists differ in length or are empty, or when a
   *     classification metric gets an example with several answers
   */
  public static double score(
      Metric metric, List<String> predictions, List<List<String>> references) {
    return switch (metric) {
      case ACCURACY -> accuracy(predictions, single(references, metric));
      case F1_MACRO -> f1Macro(predictions, single(references, metric));
      case EXACT_MATCH -> SquadScore.exactMatch(predictions, references);
      case SQUAD_F1 -> SquadScore.f1(predictions, references);
    };
  }

  /** Percentage of predictions equal to their reference, both trimmed. */
  public static double accuracy(List<String> predictions, List<String> references) {
    checkSizes(predictions, references);
    long right = 0;
    for (int i = 0; i < predictions.size(); i++) {
      right += predictions.get(i).strip().equals(references.get(i).strip()) ? 1 : 0;
    }
    return 100.0 * right / predictions.size();
  }

  /**
   * Unweighted mean of per-class F1 over every class that occurs as a reference or as a
   * prediction (scikit-learn's macro average, a class never predicted right scoring 0): a
   * prediction outside the label set thus lowers the score instead of going unnoticed.
   */
  public static double f1Macro(List<String> predictions, List<String> references) {
    checkSizes(predictions, references);
    List<String> predicted = predictions.stream().map(String::strip).toList();
    List<String> expected = references.stream().map(String::strip).toList();
    TreeSet<String> classes = new TreeSet<>(expected);
    classes.addAll(predicted);
    double sum = 0;
    for (String c : classes) {
      int truePositive = 0;
      int falsePositive = 0;
      int falseNegative = 0;
      for (int i = 0; i < predicted.size(); i++) {
        boolean p = predicted.get(i).equals(c);
        boolean r = expected.get(i).equals(c);
        truePositive += p && r ? 1 : 0;
        falsePositive += p && !r ? 1 : 0;
        falseNegative += !p && r ? 1 : 0;
      }
      sum += 2.0 * truePositive / (2 * truePositive + falsePositive + falseNegative);
    }
    return 100 * sum / classes.size();
  }

  /** Mean, 0 to 100, of each prediction's best score over its accepted answers. */
  static double meanOfBest(
      List<String> predictions,
      List<List<String>> answers,
      ToDoubleBiFunction<String, String> score) {
    checkSizes(predictions, answers);
    double sum = 0;
    for (int i = 0; i < predictions.size(); i++) {
      if (answers.get(i).isEmpty()) {
        throw new IllegalArgumentException("example " + i + " has no accepted answer");
      }
      double best = 0;
      for (String answer : answers.get(i)) {
        best = Math.max(best, score.applyAsDouble(predictions.get(i), answer));
      }
      sum += best;
    }
    return 100 * sum / predictions.size();
  }

  private static List<String> single(List<List<String>> references, Metric metric) {
    return references.stream()
        .map(
            r -> {
              if (r.size() != 1) {
                throw new IllegalArgumentException(
                    metric + " needs exactly one reference per example, got " + r);
              }
              return r.get(0);
            })
        .toList();
  }

  private static void checkSizes(List<String> predictions, List<?> references) {
    if (predictions.size() != references.size()) {
      throw new IllegalArgumentException(
          predictions.size() + " predictions for " + references.size() + " references");
    }
    if (predictions.isEmpty()) {
      throw new IllegalArgumentException("no predictions to score");
    }
  }
}
