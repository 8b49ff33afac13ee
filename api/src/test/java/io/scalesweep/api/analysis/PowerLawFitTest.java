package io.scalesweep.api.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PowerLawFitTest {

  /** An upstream-like law: loss 2.1 at 15M params falling towards 1.3. */
  private static final double NC = 260;
  private static final double ALPHA = -0.35;
  private static final double E_INF = 1.3;

  /** Sizes log-spaced over the paper's range, 15M to 11B parameters. */
  private static double[] sizes(int count) {
    double[] n = new double[count];
    for (int i = 0; i < count; i++) {
      n[i] = Math.exp(Math.log(1.5e7) + (Math.log(1.1e10) - Math.log(1.5e7)) * i / (count - 1));
    }
    return n;
  }

  private static double[] errors(double[] sizes, double noise, long seed) {
    Random random = new Random(seed);
    double[] e = new double[sizes.length];
    for (int i = 0; i < sizes.length; i++) {
      e[i] = NC * Math.pow(sizes[i], ALPHA) + E_INF + noise * random.nextGaussian();
    }
    return e;
  }

  @Test
  void recoversAnExactLaw() {
    double[] n = sizes(8);
    PowerLawFit fit = PowerLawFit.fit(n, errors(n, 0, 0));
    assertThat(fit.alpha()).isCloseTo(ALPHA, within(1e-6));
    assertThat(fit.eInf()).isCloseTo(E_INF, within(1e-6));
    assertThat(fit.nc()).isCloseTo(NC, within(NC * 1e-5));
    assertThat(fit.rmse()).isLessThan(1e-9);
    assertThat(fit.points()).isEqualTo(8);
  }

  /**
   * With noise of 0.002 (a tenth of a percent of the loss) the parameters come back within what
   * 20 points can resolve, and the residual is about the noise: a fit worse than the noise would
   * mean the optimiser stopped early, one far better would mean it fitted the noise.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void recoversALawFromNoisyPoints(long seed) {
    double noise = 0.002;
    double[] n = sizes(20);
    PowerLawFit fit = PowerLawFit.fit(n, errors(n, noise, seed));
    assertThat(fit.alpha()).isCloseTo(ALPHA, within(0.02));
    assertThat(fit.eInf()).isCloseTo(E_INF, within(0.02));
    for (double size : new double[] {2e7, 2e8, 2e9}) {
      double truth = NC * Math.pow(size, ALPHA) + E_INF;
      assertThat(fit.predict(size)).isCloseTo(truth, within(3 * noise));
    }
    assertThat(fit.rmse()).isBetween(0.5 * noise, 1.5 * noise);
  }

  @Test
  void noisierDataFitsWorse() {
    double[] n = sizes(20);
    PowerLawFit clean = PowerLawFit.fit(n, errors(n, 0.002, 7));
    PowerLawFit noisy = PowerLawFit.fit(n, errors(n, 0.05, 7));
    assertThat(noisy.rmse()).isGreaterThan(5 * clean.rmse());
  }

  @Test
  void floorNeverGoesBelowZeroForPositiveErrors() {
    // The quickstart's four trials (params, loss per target token): a noisy, nearly flat set on
    // which an unbounded refinement ended at eInf = -0.50, a loss floor below zero.
    double[] n = {1_887_232, 509_056, 968_448, 1_017_856};
    double[] e = {2.4210, 2.4624, 2.4323, 2.4620};

    PowerLawFit fit = PowerLawFit.fit(n, e);

    assertThat(fit.eInf()).isGreaterThanOrEqualTo(0);
    assertThat(fit.alpha()).isNegative();
    assertThat(fit.rmse()).isLessThan(0.02);
  }

  @Test
  void fitsThreePointsExactly() {
    double[] n = {1e7, 1e8, 1e9};
    PowerLawFit fit = PowerLawFit.fit(n, errors(n, 0, 0));
    assertThat(fit.rmse()).isLessThan(1e-9);
    assertThat(fit.predict(1e8)).isCloseTo(NC * Math.pow(1e8, ALPHA) + E_INF, within(1e-9));
  }

  private static void assertRejected(double[] sizes, double[] errors, String message) {
    assertThatThrownBy(() -> PowerLawFit.fit(sizes, errors))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void rejectsInputsWithNothingToFit() {
    double[] three = {1e7, 1e8, 1e9};
    assertRejected(new double[] {1e7, 1e8}, new double[] {2, 1.5}, "at least 3 points");
    assertRejected(new double[] {1e7, 0, 1e9}, new double[] {2, 1.5, 1.4}, "N must be positive");
    assertRejected(new double[] {1e7, -1, 1e9}, new double[] {2, 1.5, 1.4}, "at index 1");
    assertRejected(three, new double[] {2, Double.NaN, 1.4}, "error e must be finite");
    assertRejected(new double[] {1e7, 1e7, 1e9}, new double[] {2, 1.9, 1.4}, "distinct sizes");
    assertRejected(three, new double[] {1, 1, 1}, "all errors are equal");
    assertRejected(three, new double[] {1, 1}, "differ in length");
  }
}
