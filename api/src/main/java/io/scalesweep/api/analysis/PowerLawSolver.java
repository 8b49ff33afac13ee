package io.scalesweep.api.analysis;

import java.util.Arrays;

/**
 * Least squares for {@code e = nc * N^alpha + eInf}: a scan over eInf, where the rest is a
 * straight line in log-log space, finds the basin; Levenberg-Marquardt on all three parameters
 * then minimises the error in e's own units (the log-space line weights small errors too much).
 *
 * <p>Internally the model is {@code exp(b + alpha * x) + eInf} with {@code x = ln N - mean(ln N)}:
 * centring keeps b and alpha nearly uncorrelated, which the raw N of 10^7..10^10 would not.
 */
final class PowerLawSolver {

  private static final int SCAN_STEPS = 256;
  private static final int MAX_ITERATIONS = 500;
  private static final double MAX_DAMPING = 1e12;

  private final double[] x;
  private final double[] e;
  private final double meanLogN;
  /**
   * The lowest eInf allowed: an error (a loss, one minus a score) never goes below zero, so
   * neither may its floor when every error is positive. Without this bound a few noisy points
   * let the refinement trade a negative floor for a flatter curve.
   */
  private final double floor;

  private PowerLawSolver(double[] sizes, double[] errors) {
    int n = sizes.length;
    x = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      x[i] = Math.log(sizes[i]);
      sum += x[i];
    }
    meanLogN = sum / n;
    for (int i = 0; i < n; i++) {
      x[i] -= meanLogN;
    }
    e = errors.clone();
    floor = Arrays.stream(e).min().orElse(0) > 0 ? 0 : Double.NEGATIVE_INFINITY;
  }

  /** Inputs are already validated by {@link PowerLawFit#fit}. */
  static PowerLawFit solve(double[] sizes, double[] errors) {
    PowerLawSolver solver = new PowerLawSolver(sizes, errors);
    double[] p = solver.refine(solver.scan());
    double rmse = Math.sqrt(solver.sse(p) / sizes.length);
    double nc = Math.exp(p[0] - p[1] * solver.meanLogN);
    return new PowerLawFit(nc, p[1], p[2], rmse, sizes.length);
  }

  /**
   * For each eInf below the smallest error, ln(e - eInf) is fitted by a line in x; keeps the
   * candidate with the least squared error in e. Starts at 0 (an error has no negative floor)
   * unless some error is itself not positive.
   */
  private double[] scan() {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : e) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double low = min > 0 ? floor : min - (max - min);
    double[] best = null;
    double bestSse = Double.POSITIVE_INFINITY;
    for (int j = 0; j < SCAN_STEPS; j++) {
      double[] candidate = logLinear(low + (min - low) * j / SCAN_STEPS);
      double s = sse(candidate);
      if (s < bestSse) {
        bestSse = s;
        best = candidate;
      }
    }
    return best;
  }

  private double[] logLinear(double eInf) {
    int n = x.length;
    double meanY = 0;
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = Math.log(e[i] - eInf);
      meanY += y[i] / n;
    }
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < n; i++) {
      sxy += x[i] * (y[i] - meanY);
      sxx += x[i] * x[i];
    }
    // x is centred, so the intercept is the mean of y.
    return new double[] {meanY, sxy / sxx, eInf};
  }

  private double[] refine(double[] start) {
    double[] p = start.clone();
    double current = sse(p);
    double damping = 1e-3;
    for (int iteration = 0; iteration < MAX_ITERATIONS && damping < MAX_DAMPING; iteration++) {
      double[][] a = new double[3][3];
      double[] g = new double[3];
      normalEquations(p, a, g);
      for (int k = 0; k < 3; k++) {
        a[k][k] *= 1 + damping;
        g[k] = -g[k];
      }
      double[] step = Linear3.solve(a, g);
      if (step == null) {
        damping *= 10;
        continue;
      }
      double[] next = {p[0] + step[0], p[1] + step[1], Math.max(floor, p[2] + step[2])};
      double s = sse(next); // NaN when the step overflows, which the comparison rejects
      if (s < current) {
        boolean converged = current - s <= 1e-15 * current;
        p = next;
        current = s;
        damping = Math.max(damping / 10, 1e-12);
        if (converged) {
          break;
        }
      } else {
        damping *= 10;
      }
    }
    return p;
  }

  /** Fills J^T J and J^T r for the residuals r = model - e at p. */
  private void normalEquations(double[] p, double[][] a, double[] g) {
    for (int i = 0; i < x.length; i++) {
      double f = Math.exp(p[0] + p[1] * x[i]);
      double[] j = {f, f * x[i], 1};
      double r = f + p[2] - e[i];
      for (int k = 0; k < 3; k++) {
        g[k] += j[k] * r;
        for (int l = 0; l < 3; l++) {
          a[k][l] += j[k] * j[l];
        }
      }
    }
  }

  private double sse(double[] p) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double r = Math.exp(p[0] + p[1] * x[i]) + p[2] - e[i];
      s += r * r;
    }
    return s;
  }
}
