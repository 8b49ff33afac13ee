package io.scalesweep.api.analysis;

/** Solves the 3x3 linear systems of the power-law fit's normal equations. */
final class Linear3 {

  private Linear3() {}

  /**
   * Gaussian elimination with partial pivoting; the arguments are overwritten.
   *
   * @return the solution, or null when the matrix is singular
   */
  static double[] solve(double[][] a, double[] b) {
    for (int col = 0; col < 3; col++) {
      int pivot = col;
      for (int row = col + 1; row < 3; row++) {
        if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) {
          pivot = row;
        }
      }
      if (a[pivot][col] == 0 || !Double.isFinite(a[pivot][col])) {
        return null;
      }
      double[] rowSwap = a[col];
      a[col] = a[pivot];
      a[pivot] = rowSwap;
      double bSwap = b[col];
      b[col] = b[pivot];
      b[pivot] = bSwap;
      for (int row = col + 1; row < 3; row++) {
        double factor = a[row][col] / a[col][col];
        for (int k = col; k < 3; k++) {
          a[row][k] -= factor * a[col][k];
        }
        b[row] -= factor * b[col];
      }
    }
    double[] solution = new double[3];
    for (int row = 2; row >= 0; row--) {
      double sum = b[row];
      for (int k = row + 1; k < 3; k++) {
        sum -= a[row][k] * solution[k];
      }
      solution[row] = sum / a[row][row];
    }
    return solution;
  }
}
