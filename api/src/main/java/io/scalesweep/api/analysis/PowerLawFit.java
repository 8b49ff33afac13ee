package io.scalesweep.api.analysis;

import java.util.Arrays;

/**
 * A power law of error against model size, {@code e = nc * N^alpha + eInf}, as the paper fits
 * in its Appendix A (e is the upstream loss, or 1 - accuracy downstream). The fit minimises the
 * squared error in e's own units, so {@link #rmse} says how well size alone predicts quality:
 * the paper's point is that it does so far better upstream than downstream.
 *
 * @param nc scale constant N_c (positive: error above its floor)
 * @param alpha exponent, negative when error falls with size
 * @param eInf irreducible error the curve tends to
 * @param rmse root-mean-square residual of the fit, in e's units
 * @param points how many (N, e) points were fitted
 */
public record PowerLawFit(double nc, double alpha, double eInf, double rmse, int points) {

  /** Three parameters need at least three points. */
  public static final int MIN_POINTS = 3;

  /** The fitted error at size {@code n}. */
  public double predict(double n) {
    return nc * Math.pow(n, alpha) + eInf;
  }

  /**
   * Fits the law by nonlinear least squares.
   *
   * @param sizes model sizes N (parameters), all positive, at least three distinct
   * @param errors the error e of each size
   * @throws IllegalArgumentException for too few points, a non-positive or non-finite size, a
   *     non-finite error, or errors that are all equal (nothing to fit)
   */
  public static PowerLawFit fit(double[] sizes, double[] errors) {
    if (sizes.length != errors.length) {
      throw new IllegalArgumentException(
          "sizes and errors differ in length (" + sizes.length + " and " + errors.length + ")");
    }
    if (sizes.length < MIN_POINTS) {
      throw new IllegalArgumentException(
          "a power law needs at least " + MIN_POINTS + " points, got " + sizes.length);
    }
    for (int i = 0; i < sizes.length; i++) {
      if (!(sizes[i] > 0) || !Double.isFinite(sizes[i])) {
        throw new IllegalArgumentException(
            "size N must be positive and finite, got " + sizes[i] + " at index " + i);
      }
      if (!Double.isFinite(errors[i])) {
        throw new IllegalArgumentException(
            "error e must be finite, got " + errors[i] + " at index " + i);
      }
    }
    if (Arrays.stream(sizes).distinct().count() < MIN_POINTS) {
      throw new IllegalArgumentException(
          "a power law needs at least " + MIN_POINTS + " distinct sizes");
    }
    if (Arrays.stream(errors).distinct().count() == 1) {
      throw new IllegalArgumentException("all errors are equal: there is no trend to fit");
    }
    return PowerLawSolver.solve(sizes, errors);
  }
}
