package io.scalesweep.trainer.report;

import io.scalesweep.api.catalog.CatalogEntry;
import io.scalesweep.api.catalog.SweepCatalog;
import io.scalesweep.api.v1alpha1.PowerLawFitStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;

/**
 * Writes a sweep's report: {@code index.html} with the results table and fits, and every chart as
 * a PNG beside it (the page shows the same PNGs, so a chart can be pasted into a doc as is).
 */
public final class SweepReport {

  private SweepReport() {}

  /** Renders the report into {@code dir}; returns the files written, index.html first. */
  public static List<Path> write(SweepCatalog catalog, Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(dir);
    List<Chart> charts = new ArrayList<>();
    for (String quality : List.of("upstream", "downstream")) {
      for (String cost : ReportCharts.costs()) {
        ReportCharts.qualityVsCost(catalog, quality, cost).ifPresent(c -> charts.add(new Chart(quality + "-vs-" + cost, c)));
      }
    }
    ReportCharts.upstreamVsDownstream(catalog).ifPresent(c -> charts.add(new Chart("upstream-vs-downstream", c)));
    DifficultyCharts.perTask(catalog).forEach((task, c) -> charts.add(new Chart("difficulty-" + task, c)));
    if (catalog.fits() != null) {
      for (PowerLawFitStatus fit : catalog.fits()) {
        ReportCharts.powerLaw(catalog, fit).ifPresent(c -> charts.add(new Chart("power-law-" + fit.getQuality(), c)));
      }
    }
    List<Path> written = new ArrayList<>();
    Path index = dir.resolve("index.html");
    written.add(index);
    for (Chart chart : charts) {
      Path png = dir.resolve(chart.name() + ".png");
      BitmapEncoder.saveBitmap(chart.chart(), png.toString(), BitmapFormat.PNG);
      written.add(png);
    }
    Files.writeString(index, html(catalog, charts));
    return written;
  }

  private record Chart(String name, XYChart chart) {}

  private static String html(SweepCatalog catalog, List<Chart> charts) {
    StringBuilder h = new StringBuilder();
    h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>scalesweep: ")
        .append(esc(catalog.sweep())).append("</title>\n<style>")
        .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}")
        .append("table{border-collapse:collapse;margin:1em 0}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}")
        .append("td:first-child,th:first-child{text-align:left}.on{color:#c83c28;font-weight:600}img{max-width:100%;margin:1em 0}")
        .append("</style></head><body>\n<h1>Sweep ").append(esc(catalog.sweep())).append("</h1>\n<p>")
        .append(ReportCharts.finished(catalog).size()).append(" of ").append(catalog.trials().size())
        .append(" trials finished; catalog written ").append(esc(String.valueOf(catalog.updated())))
        .append(". <span class=\"on\">&#9670;</span> marks trials on a Pareto frontier.</p>\n");
    h.append("<table><tr><th>code</th><th>trial</th><th>phase</th><th>params</th><th>FLOPs/step</th>")
        .append("<th>tokens/s</th><th>neg. log-ppl</th><th>downstream</th><th>best</th><th>Pareto</th></tr>\n");
    for (CatalogEntry e : catalog.trials()) {
      boolean on = e.pareto() != null && !e.pareto().isEmpty();
      h.append("<tr><td>").append(on ? "<span class=\"on\">&#9670; " : "").append(esc(e.code())).append(on ? "</span>" : "")
          .append("</td><td>").append(esc(e.name())).append("</td><td>").append(e.phase())
          .append("</td><td>").append(String.format(Locale.ROOT, "%,d", e.params()))
          .append("</td><td>").append(String.format(Locale.ROOT, "%.3e", (double) e.flops()))
          .append("</td><td>").append(num(e.result() == null ? null : e.result().getTokensPerSecond(), "%,.0f"))
          .append("</td><td>").append(num(e.result() == null ? null : e.result().getNegLogPerplexity(), "%.4f"))
          .append("</td><td>").append(num(e.result() == null ? null : e.result().getDownstreamAverage(), "%.2f"))
          .append("</td><td>").append(num(e.result() == null ? null : e.result().getDownstreamBestAverage(), "%.2f"))
          .append("</td><td>").append(on ? esc(String.join(", ", e.pareto())) : "").append("</td></tr>\n");
    }
    h.append("</table>\n");
    if (catalog.fits() != null && !catalog.fits().isEmpty()) {
      h.append("<h2>Power laws e = N<sub>c</sub> N<sup>&alpha;</sup> + e<sub>&infin;</sub></h2>\n<table><tr><th>quality</th>")
          .append("<th>N<sub>c</sub></th><th>&alpha;</th><th>e<sub>&infin;</sub></th><th>RMSE</th><th>points</th></tr>\n");
      for (PowerLawFitStatus f : catalog.fits()) {
        h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.4g</td><td>%.4f</td><td>%.4f</td><td>%.4g</td><td>%d</td></tr>%n",
            esc(f.getQuality()), f.getNc(), f.getAlpha(), f.getEInf(), f.getRmse(), f.getPoints()));
      }
      h.append("</table>\n");
    }
    for (Chart c : charts) {
      h.append("<h2>").append(esc(c.chart().getTitle())).append("</h2>\n<img src=\"").append(c.name())
          .append(".png\" alt=\"").append(esc(c.chart().getTitle())).append("\">\n");
    }
    return h.append("</body></html>\n").toString();
  }

  private static String num(Double v, String format) {
    return v == null ? "" : String.format(Locale.ROOT, format, v);
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
