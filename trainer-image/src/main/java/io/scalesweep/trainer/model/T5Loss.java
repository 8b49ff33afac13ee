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
    // fp16 logits (mixed precision) are normalised in fp32
    NDArray logProbabilities = HalfMatmuls.logSoftmax(logits, -1);
    NDArray index = targets.toType(DataType.INT64, false).expandDims(-1);
    NDArray targetLogProbabilities = logProbabilities.gather(index, -1).squeeze(-1);
    // a packed batch's mask numbers its examples; every non-zero position counts once
    NDArray weights = mask.gt(0).toType(DataType.FLOAT32, false);
    NDArray sum = targetLogProbabilities.mul(weights).sum().neg();
    NDArray tokens = weights.sum();
    // An all-padding batch gives 0 rather than NaN.
    NDArray mean = sum.div(tokens.maximum(1f));
    return new TokenLoss(mean, sum, tokens);
  }

  /**
   * Summed square of the softmax normaliser over the counted targets, the auxiliary loss T5 adds
   * (scaled by 1e-4) to keep the logits from drifting: without it only their differences are
   * trained.
   *
   * @param mask {@code [batch, length]}, non-zero where a target counts
   */
  public static NDArray zLossSum(NDArray logits, NDArray mask) {
    NDArray x = HalfMatmuls.toSingle(logits);
    // log-sum-exp shifted by the (constant) row maximum so exp cannot overflow
    NDArray peak = x.max(new int[] {-1}, true).stopGradient();
    NDArray normaliser = x.sub(peak).exp().sum(new int[] {-1}).log().add(peak.squeeze(-1));
    NDArray weights = mask.gt(0).toType(DataType.FLOAT32, false);
    return normaliser.square().mul(weights).sum();
  }
}
