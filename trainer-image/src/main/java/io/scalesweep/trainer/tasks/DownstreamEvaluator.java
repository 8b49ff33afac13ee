package io.scalesweep.trainer.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.scalesweep.trainer.model.GreedyDecoder;
import io.scalesweep.trainer.model.T5Model;
import io.scalesweep.trainer.train.Interruption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a model on every task's validation split: greedy decoding with the key/value cache, up to
 * the recipe's target length, then the task's metric. Rows are decoded in batches, each in a
 * sub-manager closed before the next, so evaluating a large split holds one batch of arrays.
 */
public final class DownstreamEvaluator {

  private final T5Model model;
  private final ParameterStore parameterStore;
  private final NDManager parent;
  private final TextBatcher batcher;
  private final int batchSize;

  /**
   * @param parent manager under which each batch opens its own (never the model's, which may be
   *     capped)
   * @param batchSize validation rows decoded together
   */
  public DownstreamEvaluator(
      T5Model model,
      ParameterStore parameterStore,
      NDManager parent,
      TextBatcher batcher,
      int batchSize) {
    this.model = model;
    this.parameterStore = parameterStore;
    this.parent = parent;
    this.batcher = batcher;
    this.batchSize = Math.max(1, batchSize);
  }

  /** Every task's score and their average; grad mode is off meanwhile, whatever the thread. */
  public DownstreamScores evaluate(List<Task> tasks) {
    long start = System.nanoTime();
    Map<String, Double> scores = new LinkedHashMap<>();
    Map<String, List<String>> predictions = new LinkedHashMap<>();
    Map<String, Map<String, Double>> byDifficulty = new LinkedHashMap<>();
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      for (Task task : tasks) {
        List<String> predicted = predict(task.validation());
        scores.put(task.name(), task.score(predicted));
        predictions.put(task.name(), predicted);
        Map<String, Double> levels = task.scoreByDifficulty(predicted);
        if (!levels.isEmpty()) {
          byDifficulty.put(task.name(), levels);
        }
      }
    } finally {
      JniUtils.setGradMode(gradMode);
    }
    double average = scores.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
    return new DownstreamScores(
        scores, average, predictions, byDifficulty, (System.nanoTime() - start) / 1e9);
  }

  /** The model's greedy output for each example's input, in order. */
  public List<String> predict(List<TextExample> examples) {
    GreedyDecoder decoder = new GreedyDecoder(model, parameterStore);
    List<String> predicted = new ArrayList<>(examples.size());
    for (int from = 0; from < examples.size(); from += batchSize) {
      List<String> inputs =
          examples.subList(from, Math.min(from + batchSize, examples.size())).stream()
              .map(TextExample::input)
              .toList();
      int[][][] encoded = batcher.inputs(inputs);
      Interruption.check();
      try (NDManager scope = parent.newSubManager()) {
        NDArray ids = scope.create(encoded[0]).toType(DataType.INT64, false);
        NDArray mask = scope.create(encoded[1]).toType(DataType.INT64, false);
        for (long[] row : decoder.decode(ids, mask, batcher.targetLength(), true)) {
          predicted.add(batcher.text(row));
        }
      }
    }
    return predicted;
  }
}
