package io.scalesweep.trainer.model;

import ai.djl.ndarray.NDArray;

/**
 * Cross-entropy of one batch over its non-pad target tokens.
 *
 * @param mean the loss to differentiate: summed negative log-likelihood over the token count
 * @param sum summed negative log-likelihood (scalar), for per-token averages across batches
 * @param tokens number of target tokens counted (scalar, fp32)
 */
public record TokenLoss(NDArray mean, NDArray sum, NDArray tokens) {

  /** Reads the token count back from the device. */
  public long tokenCount() {
    return Math.round(tokens.getFloat());
  }

  /** Reads the summed negative log-likelihood back from the device. */
  public double sumValue() {
    return sum.getFloat();
  }
}
