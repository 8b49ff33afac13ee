package io.scalesweep.trainer.report;

import org.knowm.xchart.XYChart;

/**
 * Room for point labels inside a chart's plot. xchart centres an annotation on its point and clips
 * it at the plot's edge, so a long code such as {@code NL4-DM96-FF384-NH3-TI} on the rightmost
 * point was cut off; the x range is widened on both sides by half the widest label's share of the
 * plot, on a log axis by the matching factor.
 */
final class LabelRoom {

  /** Roughly the width of one character of xchart's annotation font, in pixels. */
  private static final double CHAR_PIXELS = 7.5;
  /** The plot's share of the chart width, less the axis, its title and tick labels. */
  private static final double PLOT_SHARE = 0.85;

  private LabelRoom() {}

  static void widenX(XYChart chart, double[] xs, int longestLabel) {
    if (xs.length == 0) {
      return;
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double x : xs) {
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    double plotPixels = chart.getWidth() * PLOT_SHARE;
    // half a label on each side, and one more character so the last is clear of the border
    double share = Math.min(0.4, (longestLabel / 2.0 + 1) * CHAR_PIXELS / plotPixels);
    boolean log = chart.getStyler().isXAxisLogarithmic();
    if (log && min > 0) {
      double span = max > min ? Math.log10(max / min) : 1;
      double pad = span * share / (1 - 2 * share);
      chart.getStyler().setXAxisMin(min / Math.pow(10, pad));
      chart.getStyler().setXAxisMax(max * Math.pow(10, pad));
    } else if (!log) {
      double span = max > min ? max - min : Math.max(Math.abs(max), 1);
      double pad = span * share / (1 - 2 * share);
      chart.getStyler().setXAxisMin(min - pad);
      chart.getStyler().setXAxisMax(max + pad);
    }
  }
}
