package io.scalesweep.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.scalesweep.trainer.data.Example;
import io.scalesweep.trainer.data.TokenBatch;
import io.scalesweep.trainer.optim.StatefulOptimizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The mixed-precision forward pass on the CPU: fp16 logits, and gradients that reach every fp32
 * weight through the casts (DJL's toType would cut them) and agree with fp32's.
 */
class HalfMatmulsTest {

  private static final io.scalesweep.api.shape.Shape SHAPE =
      new io.scalesweep.api.shape.Shape(2, 2, 32, 64, 8, 4, 4, false, 384);

  @Test
  void everyParameterGetsAGradientCloseToFp32sThroughTheFp16Casts() {
    try (NDManager base = NDManager.newBaseManager()) {
      T5Model model = new T5Model(SHAPE);
      Engine.getInstance().setRandomSeed(3);
      model.initialize(base.newSubManager());
      TokenBatch batch = batch(new SplittableRandom(4));
      ParameterStore store = new ParameterStore(base, false);
      Map<String, float[]> fp32 = gradients(model, batch, store, base);
      Map<String, float[]> mixed = gradients(model, batch, new HalfMatmuls(store, base), base);

      for (Map.Entry<String, float[]> e : fp32.entrySet()) {
        float[] a = e.getValue();
        float[] b = mixed.get(e.getKey());
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
          dot += (double) a[i] * b[i];
          na += (double) a[i] * a[i];
          nb += (double) b[i] * b[i];
        }
        assertThat(nb).as("%s has a gradient", e.getKey()).isPositive();
        assertThat(dot / Math.sqrt(na * nb)).as("cosine of %s", e.getKey()).isGreaterThan(0.999);
        assertThat(Math.sqrt(nb / na)).as("norm ratio of %s", e.getKey()).isBetween(0.99, 1.01);
      }
    }
  }

  @Test
  void masksAndTheirSumsStayFiniteInFp16() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray padding = AttentionMasks.padding(manager.create(new int[] {1, 1, 0, 0}, new Shape(1, 4)));
      NDArray both = AttentionMasks.causal(manager, 4, 4, 0).add(padding);
      NDArray half = both.toType(DataType.FLOAT16, false);

      assertThat(half.isInfinite().any().getBoolean()).isFalse();
      assertThat(half.toType(DataType.FLOAT32, false).min().getFloat()).isEqualTo(-2e4f);
      // a row that sees nothing is still a finite (uniform) softmax, in fp16 as in fp32
      NDArray weights = HalfMatmuls.softmax(half, -1);
      assertThat(weights.isNaN().any().getBoolean()).isFalse();
    }
  }

  /** Loss gradients of one batch through {@code store}, by parameter name, then zeroed. */
  private static Map<String, float[]> gradients(
      T5Model model, TokenBatch batch, ParameterStore store, NDManager base) {
    PairList<String, Parameter> parameters = new PairList<>(model.namedParameters());
    Map<String, float[]> out = new LinkedHashMap<>();
    try (NDManager scope = base.newSubManager()) {
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDList x = batch.toNDList(scope, DataType.INT64);
        NDArray logits = model.logits(store, x.get(0), x.get(1), x.get(2), x.get(4), true);
        assertThat(logits.getDataType())
            .isEqualTo(store instanceof HalfMatmuls ? DataType.FLOAT16 : DataType.FLOAT32);
        collector.backward(T5Loss.crossEntropy(logits, x.get(3), x.get(4)).mean());
      }
      for (var p : parameters) {
        NDArray weight = p.getValue().getArray();
        weight.tempAttach(scope);
        NDArray gradient = weight.getGradient();
        assertThat(gradient.getDataType()).isEqualTo(DataType.FLOAT32);
        out.put(p.getKey(), gradient.toFloatArray());
      }
    }
    StatefulOptimizer.zeroGradients(parameters);
    return out;
  }

  /** Four examples of random lengths, so both masks pad. */
  private static TokenBatch batch(SplittableRandom random) {
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      examples.add(
          new Example(
              random.ints(4 + random.nextInt(13), 2, 384).toArray(),
              random.ints(2 + random.nextInt(5), 2, 384).toArray()));
    }
    return TokenBatch.of(examples, 16, 6, T5Model.PAD_ID);
  }
}
