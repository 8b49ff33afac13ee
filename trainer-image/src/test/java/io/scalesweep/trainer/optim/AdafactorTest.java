package io.scalesweep.trainer.optim;

import static io.scalesweep.trainer.optim.TestParameters.list;
import static io.scalesweep.trainer.optim.TestParameters.parameter;
import static io.scalesweep.trainer.optim.TestParameters.setGradients;
import static io.scalesweep.trainer.optim.TestParameters.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import org.junit.jupiter.api.Test;

class AdafactorTest {

  private static final float[] W0 = {0.5f, -1.0f, 2.0f, 1.5f, 0.25f, -0.75f};
  private static final float[][] GRADS = {
    {0.1f, -0.2f, 0.3f, 0.4f, 0.05f, -0.6f},
    {-0.3f, 0.1f, 0.2f, 0.05f, -0.4f, 0.1f},
    {2.0f, 0.0f, -0.01f, 0.3f, 0.3f, 1.0f},
  };

  @Test
  void factoredUpdateOfA2x3MatrixMatchesTheHandComputation() {
    double lr = 0.01;
    double[] expected = handFactored(W0, GRADS, lr);
    try (NDManager m = NDManager.newBaseManager();
        Adafactor adafactor = Adafactor.builder().minDimSizeToFactor(1).build()) {
      Parameter w = parameter(m, "w", W0, 2, 3);
      ParameterList params = list(w);
      for (float[] g : GRADS) {
        setGradients(m, params, g);
        adafactor.step(params, (float) lr);
      }
      float[] actual = values(w);
      for (int i = 0; i < 6; i++) {
        assertThat((double) actual[i]).isCloseTo(expected[i], within(2e-6));
      }
      try (NDManager out = NDManager.newBaseManager(); NDList state = adafactor.saveState(out)) {
        assertThat(names(state)).contains("w.vr", "w.vc").doesNotContain("w.v");
        assertThat(state.get("w.vr").getShape().getShape()).containsExactly(2);
        assertThat(state.get("w.vc").getShape().getShape()).containsExactly(3);
      }
    }
  }

  @Test
  void vectorsKeepAFullSecondMomentAndT5DoesNotFactorSmallMatrices() {
    double lr = 0.02;
    float[] v0 = {0.3f, -0.2f, 0.9f};
    float[][] grads = {{0.5f, -0.1f, 0.0f}, {0.2f, 0.3f, -0.4f}};
    double[] expected = handUnfactored(v0, grads, lr);
    try (NDManager m = NDManager.newBaseManager(); Adafactor adafactor = Adafactor.t5()) {
      Parameter v = parameter(m, "scale", v0, 3);
      Parameter small = parameter(m, "bias_table", W0, 2, 3); // below 128: not factored
      ParameterList params = list(v, small);
      for (float[] g : grads) {
        setGradients(m, params, g, GRADS[0]);
        adafactor.step(params, (float) lr);
      }
      float[] actual = values(v);
      for (int i = 0; i < 3; i++) {
        assertThat((double) actual[i]).isCloseTo(expected[i], within(2e-6));
      }
      try (NDManager out = NDManager.newBaseManager(); NDList state = adafactor.saveState(out)) {
        assertThat(names(state)).contains("scale.v", "bias_table.v").doesNotContain("bias_table.vr");
      }
    }
  }

  /** Mesh TF's Adafactor, written out in doubles for a 2x3 matrix. */
  private static double[] handFactored(float[] w0, float[][] grads, double lr) {
    double[] w = new double[6];
    for (int i = 0; i < 6; i++) {
      w[i] = w0[i];
    }
    double[] vr = new double[2];
    double[] vc = new double[3];
    for (int t = 1; t <= grads.length; t++) {
      double[] g = new double[6];
      for (int i = 0; i < 6; i++) {
        g[i] = grads[t - 1][i];
      }
      double decay = 1 - Math.pow(t, -0.8);
      for (int r = 0; r < 2; r++) {
        double mean = 0;
        for (int c = 0; c < 3; c++) {
          mean += (g[r * 3 + c] * g[r * 3 + c] + 1e-30) / 3;
        }
        vr[r] = decay * vr[r] + (1 - decay) * mean;
      }
      for (int c = 0; c < 3; c++) {
        double mean = 0;
        for (int r = 0; r < 2; r++) {
          mean += (g[r * 3 + c] * g[r * 3 + c] + 1e-30) / 2;
        }
        vc[c] = decay * vc[c] + (1 - decay) * mean;
      }
      double vrMean = (vr[0] + vr[1]) / 2;
      double[] x = new double[6];
      for (int r = 0; r < 2; r++) {
        for (int c = 0; c < 3; c++) {
          double vHat = vr[r] * vc[c] / vrMean;
          x[r * 3 + c] = g[r * 3 + c] / Math.sqrt(vHat);
        }
      }
      applyClippedScaledUpdate(w, x, lr);
    }
    return w;
  }

  private static double[] handUnfactored(float[] w0, float[][] grads, double lr) {
    int n = w0.length;
    double[] w = new double[n];
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = w0[i];
    }
    for (int t = 1; t <= grads.length; t++) {
      double decay = 1 - Math.pow(t, -0.8);
      double[] x = new double[n];
      for (int i = 0; i < n; i++) {
        double g = grads[t - 1][i];
        v[i] = decay * v[i] + (1 - decay) * (g * g + 1e-30);
        x[i] = g / Math.sqrt(v[i]);
      }
      applyClippedScaledUpdate(w, x, lr);
    }
    return w;
  }

  private static void applyClippedScaledUpdate(double[] w, double[] x, double lr) {
    double clip = Math.max(1.0, rms(x) / 1.0);
    double scale = Math.max(1e-3, rms(w));
    for (int i = 0; i < w.length; i++) {
      w[i] -= lr * scale * x[i] / clip;
    }
  }

  private static java.util.List<String> names(NDList list) {
    return list.stream().map(NDArray::getName).collect(java.util.stream.Collectors.toList());
  }

  private static double rms(double[] a) {
    double s = 0;
    for (double v : a) {
      s += v * v;
    }
    return Math.sqrt(s / a.length);
  }

  @Test
  void reducesALeastSquaresLoss() {
    double t5 = LeastSquares.lossRatioAfter(Adafactor.t5(), 200, 0.05f);
    double factored =
        LeastSquares.lossRatioAfter(Adafactor.builder().minDimSizeToFactor(1).build(), 200, 0.05f);
    assertThat(t5).isLessThan(0.05);
    assertThat(factored).isLessThan(0.05);
  }

  @Test
  void zeroesTheGradientsItConsumed() {
    try (NDManager m = NDManager.newBaseManager(); Adafactor adafactor = Adafactor.t5()) {
      Parameter w = parameter(m, "w", W0, 2, 3);
      setGradients(m, list(w), GRADS[0]);
      adafactor.step(list(w), 0.01f);
      try (NDArray g = w.getArray().getGradient()) {
        assertThat(g.toFloatArray()).containsOnly(0f);
      }
    }
  }
}
