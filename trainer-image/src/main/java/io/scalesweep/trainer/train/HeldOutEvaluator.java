package io.scalesweep.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.scalesweep.trainer.data.SpanCorruptionPipeline;
import io.scalesweep.trainer.data.TokenBatch;
import io.scalesweep.trainer.model.T5Loss;
import io.scalesweep.trainer.model.T5Model;
import io.scalesweep.trainer.model.TokenLoss;

/**
 * The paper's upstream metric: negative log-perplexity per target token on held-out text, {@code
 * -(summed target cross-entropy) / (target tokens)} over a fixed number of batches. The evaluation
 * pipeline yields the same batches every time, so numbers of different trials and attempts compare.
 */
public final class HeldOutEvaluator {

  /**
   * @param negLogPerplexity higher is better; 0 would be a perfect model
   * @param targetTokens target tokens scored
   */
  public record Evaluation(double negLogPerplexity, long targetTokens, int batches) {}

  private HeldOutEvaluator() {}

  /**
   * Scores up to {@code maxBatches} batches (fewer when the held-out text runs out), without
   * gradients: grad mode is per thread, so it is switched off here whatever thread this is.
   *
   * @throws IllegalStateException when the held-out text gives no target token at all
   */
  public static Evaluation evaluate(
      T5Model model,
      ParameterStore parameterStore,
      NDManager parent,
      SpanCorruptionPipeline heldOut,
      int maxBatches) {
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      double sum = 0;
      long tokens = 0;
      int batches = 0;
      for (TokenBatch batch; batches < maxBatches && (batch = heldOut.next()) != null; batches++) {
        Interruption.check();
        try (NDManager scope = parent.newSubManager()) {
          NDList x = batch.toNDList(scope, DataType.INT64);
          NDArray logits =
              model.logits(parameterStore, x.get(0), x.get(1), x.get(2), x.get(4), false);
          TokenLoss loss = T5Loss.crossEntropy(logits, x.get(3), x.get(4));
          sum += loss.sumValue();
          tokens += loss.tokenCount();
        }
      }
      if (tokens == 0) {
        throw new IllegalStateException("the held-out text gave no target tokens to evaluate");
      }
      return new Evaluation(-sum / tokens, tokens, batches);
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }
}
