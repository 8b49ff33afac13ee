package io.scalesweep.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The loss averages over real target tokens only and reports how many there were. */
class T5LossTest {

  @Test
  void padTargetsAreLeftOut() {
    float[] logits = {1, 2, 3, 4, 0, 0, 9, 0, -1, 5, 2, 0};
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray batch = manager.create(logits, new Shape(1, 3, 4));
      NDArray targets = manager.create(new long[][] {{2, 0, 1}});

      TokenLoss loss = T5Loss.crossEntropy(batch, targets);

      double first = -logSoftmax(logits, 0, 2);
      double third = -logSoftmax(logits, 8, 1);
      assertThat(loss.tokenCount()).isEqualTo(2);
      assertThat(loss.sumValue()).isCloseTo(first + third, within(1e-5));
      assertThat((double) loss.mean().getFloat()).isCloseTo((first + third) / 2, within(1e-5));
    }
  }

  @Test
  void anExplicitMaskDecidesWhichTokensCount() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray batch = manager.zeros(new Shape(2, 2, 8));
      NDArray targets = manager.create(new long[][] {{3, 4}, {5, 6}});
      NDArray mask = manager.create(new long[][] {{1, 0}, {0, 0}});

      TokenLoss loss = T5Loss.crossEntropy(batch, targets, mask);

      assertThat(loss.tokenCount()).isEqualTo(1);
      assertThat((double) loss.mean().getFloat()).isCloseTo(Math.log(8), within(1e-5));
    }
  }

  @Test
  void anAllPaddingBatchGivesZeroNotNaN() {
    try (NDManager manager = NDManager.newBaseManager()) {
      TokenLoss loss =
          T5Loss.crossEntropy(manager.ones(new Shape(1, 2, 4)), manager.zeros(new Shape(1, 2)));

      assertThat(loss.tokenCount()).isZero();
      assertThat(loss.mean().getFloat()).isZero();
    }
  }

  @Test
  void theZLossSumsTheSquaredNormaliserOfCountedTokensAndPackedMasksCountOnce() {
    float[] logits = {1, 2, 3, 4, 0, 0, 9, 0, -1, 5, 2, 0};
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray batch = manager.create(logits, new Shape(1, 3, 4));
      // a packed row's mask: two examples numbered 1 and 2, the middle position padding
      NDArray mask = manager.create(new long[][] {{1, 0, 2}});
      NDArray targets = manager.create(new long[][] {{2, 0, 1}});

      double first = logSumExp(logits, 0);
      double third = logSumExp(logits, 8);
      assertThat((double) T5Loss.zLossSum(batch, mask).getFloat())
          .isCloseTo(first * first + third * third, within(1e-4));
      TokenLoss loss = T5Loss.crossEntropy(batch, targets, mask);
      assertThat(loss.tokenCount()).as("segment 2 counts once, not twice").isEqualTo(2);
      assertThat(loss.sumValue())
          .isCloseTo(-logSoftmax(logits, 0, 2) - logSoftmax(logits, 8, 1), within(1e-5));
    }
  }

  private static double logSumExp(float[] values, int offset) {
    return values[offset] - logSoftmax(values, offset, 0);
  }

  private static double logSoftmax(float[] values, int offset, int index) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < 4; i++) {
      max = Math.max(max, values[offset + i]);
    }
    double sum = 0;
    for (int i = 0; i < 4; i++) {
      sum += Math.exp(values[offset + i] - max);
    }
    return values[offset + index] - max - Math.log(sum);
  }
}
