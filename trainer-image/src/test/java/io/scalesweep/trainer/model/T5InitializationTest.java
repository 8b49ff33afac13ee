package io.scalesweep.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Fresh weights follow Mesh TensorFlow's T5 initialisation, one standard deviation per role. */
class T5InitializationTest {

  @Test
  void eachParameterHasItsT5StandardDeviation() {
    int d = 64;
    int dKV = 16;
    int heads = 4;
    int dFF = 256;
    var shape = new io.scalesweep.api.shape.Shape(1, 1, d, dFF, dKV, heads, heads, false, 384);
    try (NDManager manager = NDManager.newBaseManager()) {
      manager.getEngine().setRandomSeed(5);
      T5Model model = new T5Model(shape);
      model.initialize(manager);
      Map<String, Parameter> p = model.namedParameters();
      String self = "encoder.block.0.layer.0.SelfAttention.";
      String cross = "decoder.block.0.layer.1.EncDecAttention.";
      String ff = "encoder.block.0.layer.1.DenseReluDense.";

      assertStd(p.get("shared.weight"), 1.0);
      assertStd(p.get(self + "q.weight"), Math.pow(d * dKV, -0.5));
      assertStd(p.get(cross + "q.weight"), Math.pow(d * dKV, -0.5));
      assertStd(p.get(self + "k.weight"), Math.pow(d, -0.5));
      assertStd(p.get(self + "v.weight"), Math.pow(d, -0.5));
      assertStd(p.get(self + "o.weight"), Math.pow(heads * dKV, -0.5));
      assertStd(p.get(ff + "wi.weight"), Math.pow(d, -0.5));
      assertStd(p.get(ff + "wo.weight"), Math.pow(dFF, -0.5));
      assertThat(p.get("encoder.final_layer_norm.weight").getArray().toFloatArray())
          .containsOnly(1f);
      assertThat(p.get("decoder.block.0.layer.2.layer_norm.weight").getArray().toFloatArray())
          .containsOnly(1f);
    }
  }

  private static void assertStd(Parameter parameter, double expected) {
    float[] values = parameter.getArray().toFloatArray();
    double sum = 0;
    double squares = 0;
    for (float v : values) {
      sum += v;
      squares += (double) v * v;
    }
    double mean = sum / values.length;
    double std = Math.sqrt(squares / values.length - mean * mean);
    assertThat(mean).as("mean of %s", parameter.getName()).isCloseTo(0, within(4 * expected / Math.sqrt(values.length)));
    assertThat(std).as("std of %s", parameter.getName()).isCloseTo(expected, within(0.08 * expected));
  }
}
