package io.scalesweep.trainer.report;

import io.scalesweep.api.catalog.CatalogEntry;
import io.scalesweep.api.catalog.SweepCatalog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;

/**
 * Score against difficulty, one line per trial, for each task with a {@code difficultyField}: the
 * paper's finding shows here, where shapes of equal upstream quality part as the reasoning gets
 * deeper.
 */
final class DifficultyCharts {

  private DifficultyCharts() {}

  /** One chart per task that some finished trial scored per difficulty, in first-seen order. */
  static Map<String, XYChart> perTask(SweepCatalog catalog) {
    Set<String> tasks = new LinkedHashSet<>();
    for (CatalogEntry e : ReportCharts.finished(catalog)) {
      if (e.result().getDownstreamByDifficulty() != null) {
        tasks.addAll(e.result().getDownstreamByDifficulty().keySet());
      }
    }
    Map<String, XYChart> charts = new LinkedHashMap<>();
    for (String task : tasks) {
      charts.put(task, chart(catalog, task));
    }
    return charts;
  }

  private static XYChart chart(SweepCatalog catalog, String task) {
    List<CatalogEntry> scored =
        ReportCharts.finished(catalog).stream()
            .filter(e -> e.result().getDownstreamByDifficulty() != null
                && e.result().getDownstreamByDifficulty().containsKey(task))
            .toList();
    List<String> levels = levels(scored, task);
    boolean numeric = levels.stream().allMatch(DifficultyCharts::isNumber);
    XYChart chart =
        new XYChartBuilder()
            .width(ReportCharts.WIDTH)
            .height(ReportCharts.HEIGHT)
            .title(task + ": score by difficulty")
            .xAxisTitle(numeric ? "difficulty" : "difficulty (levels in order: " + String.join(", ", levels) + ")")
            .yAxisTitle("score")
            .build();
    ReportCharts.style(chart);
    ReportCharts.scoreAxis(chart);
    Set<String> codes = new HashSet<>();
    for (CatalogEntry e : scored) {
      Map<String, Double> byLevel = e.result().getDownstreamByDifficulty().get(task);
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (int i = 0; i < levels.size(); i++) {
        Double score = byLevel.get(levels.get(i));
        if (score != null) {
          xs.add(numeric ? Double.parseDouble(levels.get(i)) : i + 1);
          ys.add(score);
        }
      }
      // two seeds of one shape share a code; the trial name tells them apart
      String name = codes.add(e.code()) ? e.code() : e.code() + " (" + e.name() + ")";
      XYSeries series =
          chart.addSeries(
              name,
              xs.stream().mapToDouble(Double::doubleValue).toArray(),
              ys.stream().mapToDouble(Double::doubleValue).toArray());
      series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
    }
    return chart;
  }

  /** Every level any trial has, numbers in numeric order, else in the order first met. */
  private static List<String> levels(List<CatalogEntry> scored, String task) {
    Set<String> levels = new LinkedHashSet<>();
    scored.forEach(e -> levels.addAll(e.result().getDownstreamByDifficulty().get(task).keySet()));
    List<String> ordered = new ArrayList<>(levels);
    if (ordered.stream().allMatch(DifficultyCharts::isNumber)) {
      ordered.sort((a, b) -> Double.compare(Double.parseDouble(a), Double.parseDouble(b)));
    }
    return ordered;
  }

  private static boolean isNumber(String level) {
    try {
      Double.parseDouble(level);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
