package io.scalesweep.trainer.report;

import io.scalesweep.api.analysis.SweepAnalysis;
import io.scalesweep.api.catalog.CatalogEntry;
import io.scalesweep.api.catalog.SweepCatalog;
import io.scalesweep.api.v1alpha1.ParetoSet;
import io.scalesweep.api.v1alpha1.PowerLawFitStatus;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts, after the paper's figures: quality against each cost axis with the Pareto
 * frontier drawn through (Figures 1 to 4), upstream against downstream, and error against
 * parameters with the fitted power law (Figure 5).
 */
final class ReportCharts {

  static final int WIDTH = 900;
  static final int HEIGHT = 600;
  private static final Color POINTS = new Color(90, 110, 140);
  private static final Color FRONTIER = new Color(200, 60, 40);

  private ReportCharts() {}

  /** Quality (upstream or downstream) against one cost axis; empty when no trial has both. */
  static Optional<XYChart> qualityVsCost(SweepCatalog catalog, String quality, String cost) {
    List<CatalogEntry> done = finished(catalog).stream()
        .filter(e -> quality(e, quality) != null && costValue(e, cost) != null)
        .toList();
    if (done.isEmpty()) {
      return Optional.empty();
    }
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
        .title(qualityLabel(quality) + " vs " + costLabel(cost))
        .xAxisTitle(costLabel(cost)).yAxisTitle(qualityLabel(quality)).build();
    style(chart);
    chart.getStyler().setXAxisLogarithmic(!cost.equals("throughput"));
    if (cost.equals("throughput")) {
      // quality falls as throughput rises: the upper right corner is the free one
      chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
    }
    XYSeries all = chart.addSeries("trials", xs(done, e -> costValue(e, cost)), xs(done, e -> quality(e, quality)));
    all.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
    all.setMarker(SeriesMarkers.CIRCLE);
    all.setMarkerColor(POINTS);

    Map<String, CatalogEntry> byCode = done.stream().collect(Collectors.toMap(CatalogEntry::code, e -> e, (a, b) -> a));
    frontier(catalog, quality, cost).ifPresent(set -> {
      List<CatalogEntry> members = set.getCodes().stream().map(byCode::get).filter(e -> e != null).toList();
      if (!members.isEmpty()) {
        XYSeries line = chart.addSeries("Pareto frontier", xs(members, e -> costValue(e, cost)), xs(members, e -> quality(e, quality)));
        line.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        line.setMarker(SeriesMarkers.DIAMOND);
        line.setLineColor(FRONTIER);
        line.setMarkerColor(FRONTIER);
        line.setLineStyle(new BasicStroke(2f));
      }
    });
    if (quality.equals("downstream")) {
      scoreAxis(chart);
    }
    label(chart, done, e -> costValue(e, cost), e -> quality(e, quality));
    return Optional.of(chart);
  }

  /** Upstream quality against downstream quality: the paper's point is that they disagree. */
  static Optional<XYChart> upstreamVsDownstream(SweepCatalog catalog) {
    List<CatalogEntry> done = finished(catalog).stream()
        .filter(e -> e.result().getNegLogPerplexity() != null && e.result().getDownstreamAverage() != null)
        .toList();
    if (done.isEmpty()) {
      return Optional.empty();
    }
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Upstream vs downstream quality")
        .xAxisTitle(qualityLabel("upstream")).yAxisTitle(qualityLabel("downstream")).build();
    style(chart);
    XYSeries s = chart.addSeries("trials", xs(done, e -> e.result().getNegLogPerplexity()), xs(done, e -> e.result().getDownstreamAverage()));
    s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
    s.setMarkerColor(POINTS);
    scoreAxis(chart);
    label(chart, done, e -> e.result().getNegLogPerplexity(), e -> e.result().getDownstreamAverage());
    return Optional.of(chart);
  }

  /** Error against parameters on log-log axes with the fitted law; empty without a fit. */
  static Optional<XYChart> powerLaw(SweepCatalog catalog, PowerLawFitStatus fit) {
    boolean upstream = fit.getQuality().equals("upstream");
    List<CatalogEntry> done = finished(catalog).stream()
        .filter(e -> upstream ? e.result().getNegLogPerplexity() != null : e.result().getDownstreamAverage() != null)
        .toList();
    if (done.isEmpty()) {
      return Optional.empty();
    }
    ToDoubleFunction<CatalogEntry> error = upstream
        ? e -> -e.result().getNegLogPerplexity()
        : e -> 1 - e.result().getDownstreamAverage() / 100;
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
        .title(String.format(java.util.Locale.ROOT, "Power law (%s): e = %.3g * N^%.3f + %.3f, RMSE %.3g",
            fit.getQuality(), fit.getNc(), fit.getAlpha(), fit.getEInf(), fit.getRmse()))
        .xAxisTitle("parameters N").yAxisTitle(upstream ? "loss per target token" : "1 - downstream score").build();
    style(chart);
    // error falls with size, so the upper right corner is free for the legend
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
    chart.getStyler().setXAxisLogarithmic(true);
    XYSeries points = chart.addSeries("trials", xs(done, e -> e.params()), xs(done, error));
    points.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
    points.setMarkerColor(POINTS);
    double min = done.stream().mapToDouble(CatalogEntry::params).min().orElseThrow();
    double max = done.stream().mapToDouble(CatalogEntry::params).max().orElseThrow();
    int steps = 50;
    double[] n = new double[steps + 1];
    double[] e = new double[steps + 1];
    for (int i = 0; i <= steps; i++) {
      n[i] = min * Math.pow(max / min, (double) i / steps);
      e[i] = fit.getNc() * Math.pow(n[i], fit.getAlpha()) + fit.getEInf();
    }
    XYSeries curve = chart.addSeries("fit", n, e);
    curve.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
    curve.setMarker(SeriesMarkers.NONE);
    curve.setLineColor(FRONTIER);
    label(chart, done, CatalogEntry::params, error);
    return Optional.of(chart);
  }

  static List<CatalogEntry> finished(SweepCatalog catalog) {
    return catalog.trials().stream().filter(e -> e.result() != null).toList();
  }

  private static Optional<ParetoSet> frontier(SweepCatalog catalog, String quality, String cost) {
    return catalog.pareto() == null ? Optional.empty() : catalog.pareto().stream()
        .filter(p -> p.getQuality().equals(quality) && p.getCost().equals(cost)).findFirst();
  }

  static Double quality(CatalogEntry e, String quality) {
    return quality.equals("upstream") ? e.result().getNegLogPerplexity() : e.result().getDownstreamAverage();
  }

  /** Throughput is drawn as measured (tokens/s, higher is cheaper); the others as costs. */
  static Double costValue(CatalogEntry e, String cost) {
    return switch (cost) {
      case "params" -> (double) e.params();
      case "flops" -> (double) e.flops();
      default -> e.result().getTokensPerSecond();
    };
  }

  static String qualityLabel(String quality) {
    return quality.equals("upstream") ? "negative log-perplexity (upstream)" : "average downstream score";
  }

  static String costLabel(String cost) {
    return switch (cost) {
      case "params" -> "parameters";
      case "flops" -> "training FLOPs per step";
      default -> "throughput (tokens/s)";
    };
  }

  static List<String> costs() {
    return SweepAnalysis.COSTS;
  }

  static void style(XYChart chart) {
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotBackgroundColor(Color.WHITE);
    chart.getStyler().setMarkerSize(9);
    // below the plot, where no point or label can be
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
    chart.getStyler().setAntiAlias(true);
  }

  /**
   * Scores run from 0 to 100 whatever the trials reached: a range fitted to the points would draw
   * 35.0 against 35.75 as a slope. 0 stands for chance, which the catalog does not know per task.
   */
  static void scoreAxis(XYChart chart) {
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(100.0);
  }

  /**
   * Writes each trial's code just above its point, as the paper's figures do. Annotations are
   * centred on a point in data coordinates, so the x range is widened by a share that fits half of
   * the longest code; the lift is a share of the y axis (fixed, as a score axis, or fitted to the
   * points), and a point at the top of it gets its code below.
   */
  static void label(XYChart chart, List<CatalogEntry> entries, ToDoubleFunction<CatalogEntry> x, ToDoubleFunction<CatalogEntry> y) {
    LabelRoom.widenX(chart, entries.stream().mapToDouble(x).toArray(), entries.stream().mapToInt(e -> e.code().length()).max().orElse(0));
    Double axisMin = chart.getStyler().getYAxisMin();
    Double axisMax = chart.getStyler().getYAxisMax();
    double min = axisMin != null ? axisMin : entries.stream().mapToDouble(y).min().orElse(0);
    double max = axisMax != null ? axisMax : entries.stream().mapToDouble(y).max().orElse(0);
    double span = Math.max(max - min, Math.abs(max) * 0.01);
    double lift = span * 0.03;
    for (CatalogEntry e : entries) {
      double at = y.applyAsDouble(e);
      boolean nearTop = max > min && at > max - span * 0.06;
      chart.addAnnotation(new org.knowm.xchart.AnnotationText(e.code(), x.applyAsDouble(e), nearTop ? at - lift : at + lift, false));
    }
  }

  private static double[] xs(List<CatalogEntry> entries, ToDoubleFunction<CatalogEntry> f) {
    List<Double> values = new ArrayList<>();
    entries.forEach(e -> values.add(f.applyAsDouble(e)));
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
