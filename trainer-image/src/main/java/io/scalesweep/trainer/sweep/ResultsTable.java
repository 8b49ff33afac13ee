package io.scalesweep.trainer.sweep;

import io.scalesweep.api.catalog.CatalogEntry;
import io.scalesweep.api.catalog.SweepCatalog;
import java.util.Locale;

/** The end-of-run table of a local sweep, Pareto-optimal trials marked, as the README shows it. */
public final class ResultsTable {

  private ResultsTable() {}

  public static String render(SweepCatalog catalog) {
    int codeWidth = Math.max(4, catalog.trials().stream().mapToInt(e -> e.code().length()).max().orElse(4));
    String format = "%-2s%-" + codeWidth + "s %-9s %13s %11s %10s %12s %10s  %s%n";
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, format,
        "", "CODE", "PHASE", "PARAMS", "FLOPS/STEP", "TOKENS/S", "NEG-LOG-PPL", "DOWNSTREAM", "PARETO"));
    for (CatalogEntry e : catalog.trials()) {
      boolean pareto = e.pareto() != null && !e.pareto().isEmpty();
      sb.append(String.format(Locale.ROOT, format,
          pareto ? "*" : "", e.code(), e.phase(), String.format(Locale.ROOT, "%,d", e.params()),
          String.format(Locale.ROOT, "%.3e", (double) e.flops()),
          e.result() == null || e.result().getTokensPerSecond() == null ? "" : String.format(Locale.ROOT, "%,.0f", e.result().getTokensPerSecond()),
          e.result() == null || e.result().getNegLogPerplexity() == null ? "" : String.format(Locale.ROOT, "%.4f", e.result().getNegLogPerplexity()),
          e.result() == null || e.result().getDownstreamAverage() == null ? "" : String.format(Locale.ROOT, "%.2f", e.result().getDownstreamAverage()),
          pareto ? String.join(" ", e.pareto()) : ""));
    }
    sb.append("* on a Pareto frontier (quality/cost): better than every cheaper trial.\n");
    return sb.toString();
  }
}
