package io.scalesweep.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A training step's gradients do not depend on when the garbage collector runs. Autograd keeps
 * some operands of the forward pass for the backward pass; an operand whose memory belongs to a
 * Java buffer that nothing references any more (a scalar DJL wrapped and closed, a view of an
 * array built from Java data) is freed by a collection between the two passes, and the backward
 * pass then reads freed memory. That is how the quickstart once diverged at random: a NaN
 * gradient under a finite loss, only in runs whose collector happened to run at that moment.
 */
class GradientUnderCollectionTest {

  private static final io.scalesweep.api.shape.Shape SHAPE =
      new io.scalesweep.api.shape.Shape(2, 2, 32, 64, 8, 4, 4, false, 384);

  @Test
  void aCollectionBetweenForwardAndBackwardLeavesEveryGradientBitIdentical() throws Exception {
    Map<String, float[]> calm = gradients(false);
    Map<String, float[]> collected = gradients(true);

    assertThat(collected.keySet()).containsExactlyElementsOf(calm.keySet());
    for (String name : calm.keySet()) {
      assertThat(collected.get(name)).as(name).containsExactly(calm.get(name));
    }
  }

  /** One step's gradients per parameter, with or without collections before the backward pass. */
  private static Map<String, float[]> gradients(boolean collectBeforeBackward) throws Exception {
    Engine.getInstance().setRandomSeed(11);
    try (NDManager base = NDManager.newBaseManager()) {
      T5Model model = new T5Model(SHAPE);
      model.initialize(base.newSubManager());
      ParameterStore parameterStore = new ParameterStore(base, false);
      try (NDManager step = base.newSubManager();
          GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        SplittableRandom random = new SplittableRandom(5);
        NDArray inputIds = step.create(random.longs(4 * 24, 2, 384).toArray(), new Shape(4, 24));
        long[] target = random.longs(4 * 12, 2, 384).toArray();
        long[] shifted = new long[target.length];
        for (int i = 0; i < target.length; i++) {
          shifted[i] = i % 12 == 0 ? T5Model.PAD_ID : target[i - 1];
        }
        NDArray targets = step.create(target, new Shape(4, 12));
        NDArray logits =
            model.logits(
                parameterStore, inputIds, null, step.create(shifted, new Shape(4, 12)), null, true);
        TokenLoss loss = T5Loss.crossEntropy(logits, targets);
        if (collectBeforeBackward) {
          collectGarbage();
        }
        collector.backward(loss.mean());
      }
      Map<String, float[]> out = new LinkedHashMap<>();
      for (Map.Entry<String, Parameter> p : model.namedParameters().entrySet()) {
        out.put(p.getKey(), p.getValue().getArray().getGradient().toFloatArray());
      }
      return out;
    }
  }

  /**
   * Collections, with pauses in which the reference handler frees the native memory of the direct
   * buffers they found unreachable.
   */
  private static void collectGarbage() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
  }
}
