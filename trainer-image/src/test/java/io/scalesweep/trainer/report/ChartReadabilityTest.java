package io.scalesweep.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalesweep.api.catalog.CatalogEntry;
import io.scalesweep.api.catalog.SweepCatalog;
import io.scalesweep.api.shape.Shape;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.api.v1alpha1.TrialResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;

/**
 * What makes the report's charts readable: scores on a 0 to 100 axis (not a range fitted to
 * 35.0 and 35.75), codes inside the plot, the legend out of the way, and score against difficulty
 * per trial.
 */
class ChartReadabilityTest {

  private static final String LONG_CODE = "NL4-DM96-FF384-NH3-TI";

  @TempDir Path tmp;

  /** Three shapes at chance-like scores barely apart, the longest code on the rightmost point. */
  private static SweepCatalog nearlyEqual() {
    List<CatalogEntry> entries = new ArrayList<>();
    Object[][] rows = {
      {"NL2-DM128-FF512-NH4-TI", 900_000L, -2.628, 35.0, new double[] {31, 30, 36}},
      {"NL8-DM64-FF256-NH2-TI", 1_000_000L, -2.609, 35.75, new double[] {30, 33, 40}},
      {LONG_CODE, 1_100_000L, -2.626, 35.0, new double[] {31, 38, 44}},
    };
    for (Object[] row : rows) {
      TrialResult r = new TrialResult();
      r.setNegLogPerplexity((Double) row[2]);
      r.setDownstreamAverage((Double) row[3]);
      r.setTokensPerSecond(1000.0);
      Map<String, Double> levels = new LinkedHashMap<>();
      double[] byHops = (double[]) row[4];
      for (int hops = 1; hops <= 3; hops++) {
        levels.put(String.valueOf(hops), byHops[hops - 1]);
      }
      r.setDownstreamByDifficulty(Map.of("chase", levels));
      Shape shape = new Shape(2, 2, 64, 256, 16, 2, 2, false, 384);
      entries.add(
          new CatalogEntry(
              "t-" + entries.size(), (String) row[0], shape, TrialPhase.Succeeded, (Long) row[1],
              1_000_000L, r, null, null, null));
    }
    return SweepCatalog.of("equal", "2026-11-30T00:00:00Z", entries);
  }

  @Test
  void scoreAxesRunFromZeroToAHundred() {
    XYChart chart = ReportCharts.upstreamVsDownstream(nearlyEqual()).orElseThrow();
    assertThat(chart.getStyler().getYAxisMin()).isEqualTo(0.0);
    assertThat(chart.getStyler().getYAxisMax()).isEqualTo(100.0);
    XYChart byParams = ReportCharts.qualityVsCost(nearlyEqual(), "downstream", "params").orElseThrow();
    assertThat(byParams.getStyler().getYAxisMax()).isEqualTo(100.0);
    XYChart upstream = ReportCharts.qualityVsCost(nearlyEqual(), "upstream", "params").orElseThrow();
    assertThat(upstream.getStyler().getYAxisMax()).as("upstream keeps its fitted range").isNull();
  }

  @Test
  void theLongestCodeFitsBetweenTheRightmostPointAndThePlotEdgeAndTheLegendIsBelow() {
    XYChart linear = ReportCharts.upstreamVsDownstream(nearlyEqual()).orElseThrow();
    double halfLabel = (LONG_CODE.length() + 1) / 2.0 * 7.5;
    double plot = ReportCharts.WIDTH * 0.85;
    double min = -2.628;
    double max = -2.609;
    double axisMin = linear.getStyler().getXAxisMin();
    double axisMax = linear.getStyler().getXAxisMax();
    double span = axisMax - axisMin;
    assertThat((axisMax - max) / span * plot).isGreaterThanOrEqualTo(halfLabel - 1e-6);
    assertThat((min - axisMin) / span * plot).isGreaterThanOrEqualTo(halfLabel - 1e-6);

    XYChart log = ReportCharts.qualityVsCost(nearlyEqual(), "downstream", "params").orElseThrow();
    double logSpan = Math.log10(log.getStyler().getXAxisMax() / log.getStyler().getXAxisMin());
    assertThat(Math.log10(log.getStyler().getXAxisMax() / 1_100_000.0) / logSpan * plot)
        .as("on a log axis too")
        .isGreaterThanOrEqualTo(halfLabel - 1e-6);

    assertThat(linear.getStyler().getLegendPosition()).isEqualTo(Styler.LegendPosition.OutsideS);
  }

  @Test
  void eachTaskWithADifficultyFieldGetsAScoreByDifficultyChartWithALinePerTrial() throws Exception {
    Map<String, XYChart> charts = DifficultyCharts.perTask(nearlyEqual());

    assertThat(charts).containsOnlyKeys("chase");
    XYChart chase = charts.get("chase");
    assertThat(chase.getSeriesMap()).hasSize(3).containsKey(LONG_CODE);
    assertThat(chase.getSeriesMap().get(LONG_CODE).getYData()).containsExactly(31.0, 38.0, 44.0);
    assertThat(chase.getSeriesMap().get(LONG_CODE).getXData()).containsExactly(1.0, 2.0, 3.0);
    assertThat(chase.getStyler().getYAxisMax()).isEqualTo(100.0);
    List<Path> files = SweepReport.write(nearlyEqual(), tmp);
    assertThat(files).extracting(p -> p.getFileName().toString()).contains("difficulty-chase.png");
  }
}
