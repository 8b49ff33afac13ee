package io.scalesweep.trainer.optim;

import static io.scalesweep.trainer.optim.TestParameters.list;
import static io.scalesweep.trainer.optim.TestParameters.parameter;
import static io.scalesweep.trainer.optim.TestParameters.setGradients;
import static io.scalesweep.trainer.optim.TestParameters.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import org.junit.jupiter.api.Test;

class AdamWTest {

  @Test
  void reducesALeastSquaresLoss() {
    assertThat(LeastSquares.lossRatioAfter(new AdamW(), 200, 0.05f)).isLessThan(0.05);
  }

  @Test
  void twoStepsMatchTheTorchFormula() {
    float[] w0 = {1.0f, -2.0f};
    float[][] grads = {{0.5f, -1.0f}, {0.25f, 0.0f}};
    double lr = 0.1;
    double wd = 0.01;
    double[] w = {1.0, -2.0};
    double[] m = new double[2];
    double[] v = new double[2];
    for (int t = 1; t <= 2; t++) {
      for (int i = 0; i < 2; i++) {
        double g = grads[t - 1][i];
        w[i] *= 1 - lr * wd;
        m[i] = 0.9 * m[i] + 0.1 * g;
        v[i] = 0.999 * v[i] + 0.001 * g * g;
        double mHat = m[i] / (1 - Math.pow(0.9, t));
        double vHat = v[i] / (1 - Math.pow(0.999, t));
        w[i] -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
      }
    }
    try (NDManager manager = NDManager.newBaseManager(); AdamW adamw = new AdamW()) {
      Parameter p = parameter(manager, "p", w0, 2);
      for (float[] g : grads) {
        setGradients(manager, list(p), g);
        adamw.step(list(p), (float) lr);
      }
      float[] actual = values(p);
      assertThat((double) actual[0]).isCloseTo(w[0], within(1e-6));
      assertThat((double) actual[1]).isCloseTo(w[1], within(1e-6));
    }
  }
}
