package io.scalesweep.trainer.optim;

import static io.scalesweep.trainer.optim.TestParameters.list;
import static io.scalesweep.trainer.optim.TestParameters.parameter;
import static io.scalesweep.trainer.optim.TestParameters.setGradients;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.ParameterList;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

  // |(3, 4)| = 5 and |(0, 12)| = 12: global norm 13
  private static final float[] G1 = {3f, 4f};
  private static final float[] G2 = {0f, 12f};

  @Test
  void scalesAllGradientsToTheMaxNorm() {
    try (NDManager model = NDManager.newBaseManager(); NDManager scratch = NDManager.newBaseManager()) {
      ParameterList params = list(parameter(model, "a", new float[2], 2), parameter(model, "b", new float[2], 2));
      setGradients(scratch, params, G1, G2);
      int live = model.getManagedArrays().size();

      float before = GradientClipping.clipByGlobalNorm(params, 6.5f);

      assertThat(before).isCloseTo(13f, within(1e-5f));
      assertThat(gradient(params, 0)).containsExactly(new float[] {1.5f, 2f}, within(1e-6f));
      assertThat(gradient(params, 1)).containsExactly(new float[] {0f, 6f}, within(1e-6f));
      assertThat(GradientClipping.globalNorm(params)).isCloseTo(6.5f, within(1e-5f));
      assertThat(model.getManagedArrays()).hasSize(live);
    }
  }

  @Test
  void leavesSmallGradientsAlone() {
    try (NDManager model = NDManager.newBaseManager()) {
      ParameterList params = list(parameter(model, "a", new float[2], 2), parameter(model, "b", new float[2], 2));
      setGradients(model, params, G1, G2);
      assertThat(GradientClipping.clipByGlobalNorm(params, 100f)).isCloseTo(13f, within(1e-5f));
      assertThat(gradient(params, 1)).containsExactly(0f, 12f);
    }
  }

  @Test
  void onTheDeviceClipsToTheSameBitsAsOnTheHost() {
    // norms above the limit (clipped), within it, NaN and infinite (both left alone)
    float[][] firsts = {{0.3f, -1.7f, 2.9f}, {0.1f, 0.2f, 0.3f}, {1f, Float.NaN, 2f},
        {1f, Float.POSITIVE_INFINITY, 2f}};
    for (float[] first : firsts) {
      float[] second = {-4.1f, 0.7f, 1.3f};
      try (NDManager model = NDManager.newBaseManager();
          NDManager result = NDManager.newBaseManager()) {
        ParameterList host = list(parameter(model, "a", new float[3], 3), parameter(model, "b", new float[3], 3));
        ParameterList device = list(parameter(model, "c", new float[3], 3), parameter(model, "d", new float[3], 3));
        setGradients(model, host, first, second);
        setGradients(model, device, first, second);
        int live = model.getManagedArrays().size();

        float norm = GradientClipping.clipByGlobalNorm(host, 1.1f);
        NDArray measured = GradientClipping.clipOnDevice(device, 1.1f, result);

        assertThat(Float.floatToIntBits(measured.getFloat())).isEqualTo(Float.floatToIntBits(norm));
        for (int i = 0; i < 2; i++) {
          float[] expected = gradient(host, i);
          float[] actual = gradient(device, i);
          for (int j = 0; j < expected.length; j++) {
            assertThat(Float.floatToRawIntBits(actual[j]))
                .as("gradient %d[%d] for %s", i, j, java.util.Arrays.toString(first))
                .isEqualTo(Float.floatToRawIntBits(expected[j]));
          }
        }
        assertThat(model.getManagedArrays()).hasSize(live);
      }
    }
  }

  private static float[] gradient(ParameterList params, int i) {
    // read through a scratch manager: getGradient() attaches to the parameter's manager
    try (NDManager scratch = NDManager.newBaseManager()) {
      NDArray g = params.get(i).getValue().getArray().getGradient();
      g.attach(scratch);
      return g.toFloatArray();
    }
  }
}
