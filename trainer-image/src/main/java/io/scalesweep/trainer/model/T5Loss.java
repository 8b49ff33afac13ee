package io.scalesweep.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Token-level cross-entropy of T5: mean over the target tokens that are not padding, as Hugging
 * Face computes it with ignore_index. Averaging sums and counts over many batches gives the
 * paper's per-token negative log-perplexity.
 */
public final class T5Loss {

  private T5Loss() {}

  /** Loss over the targets that are not {@link T5Model#PAD_ID}. */
  public static TokenLoss crossEntropy(NDArray logits, NDArray targets) {
    return crossEntropy(logits, targets, targets.neq(T5Model.PAD_ID));
  }

  /**
   * @param logits {@code [batch, length, vocab]}
   * @param targets {@code [batch, length]} token ids
   * @param mask {@code [batch, length]}, non-zero where a target counts
   */
  public static TokenLoss crossEntropy(NDArray logits, NDArray targets, NDArray mask) {
    NDArray logProbabilities = logits.toType(DataType.FLOAT32, false).logSoftmax(-1);
    NDArray index = targets.toType(DataType.INT64, false).expandDims(-1);
    NDArray targetLogProbabilities = logProbabilities.gather(index, -1).squeeze(-1);
    NDArray weights = mask.toType(DataType.FLOAT32, false);
    NDArray sum = targetLogProbabilities.mul(weights).sum().neg();
    NDArray tokens = weights.sum();
    // An all-padding batch gives 0 rather than NaN.
    NDArray mean = sum.div(tokens.maximum(1f));
    return new TokenLoss(mean, sum, tokens);
  }
}
