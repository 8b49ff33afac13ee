package io.scalesweep.api.analysis;

import io.scalesweep.api.v1alpha1.ParetoSet;
import io.scalesweep.api.v1alpha1.PowerLawFitStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The sweep-level results of the paper: for each quality (upstream negative log-perplexity,
 * downstream average score) the Pareto frontier against each cost (parameters, FLOPs, measured
 * throughput), and a power law of error against parameters. One implementation for the
 * operator's status, the catalog and the report, so they can never disagree.
 */
public final class SweepAnalysis {

  /** Quality axes, in the order sets are reported. */
  public static final List<String> QUALITIES = List.of("upstream", "downstream");
  /** Cost axes, in the order sets are reported. Throughput's cost is seconds per token. */
  public static final List<String> COSTS = List.of("params", "flops", "throughput");

  private SweepAnalysis() {}

  /** Frontier per quality and cost axis, cheapest first; sets with no eligible trial are left out. */
  public static List<ParetoSet> paretoSets(List<TrialOutcome> outcomes) {
    List<ParetoSet> sets = new ArrayList<>();
    for (String quality : QUALITIES) {
      for (String cost : COSTS) {
        List<ParetoPoint> points = new ArrayList<>();
        for (TrialOutcome o : outcomes) {
          Double q = quality(o, quality);
          Double c = cost(o, cost);
          if (q != null && c != null && Double.isFinite(q) && Double.isFinite(c)) {
            points.add(new ParetoPoint(o.code(), q, Map.of(cost, c)));
          }
        }
        if (!points.isEmpty()) {
          ParetoSet set = new ParetoSet();
          set.setQuality(quality);
          set.setCost(cost);
          set.setCodes(ParetoFrontier.cheapestFirst(ParetoFrontier.of(points, List.of(cost)), cost));
          sets.add(set);
        }
      }
    }
    return sets;
  }

  /**
   * Power laws {@code e = nc * N^alpha + eInf} of error against parameters (paper Appendix A):
   * upstream error is the loss (minus the negative log-perplexity), downstream error is one minus
   * the score. A quality with fewer than {@link PowerLawFit#MIN_POINTS} distinct sizes, or whose
   * points a power law cannot describe, is left out rather than reported with a meaningless fit.
   */
  public static List<PowerLawFitStatus> fits(List<TrialOutcome> outcomes) {
    List<PowerLawFitStatus> fits = new ArrayList<>();
    fit(outcomes, "upstream", o -> o.negLogPerplexity() == null ? null : -o.negLogPerplexity()).ifPresent(fits::add);
    fit(outcomes, "downstream", o -> o.downstreamAverage() == null ? null : 1 - o.downstreamAverage() / 100).ifPresent(fits::add);
    return fits;
  }

  private static Optional<PowerLawFitStatus> fit(
      List<TrialOutcome> outcomes, String quality, Function<TrialOutcome, Double> error) {
    List<TrialOutcome> usable =
        outcomes.stream().filter(o -> error.apply(o) != null && Double.isFinite(error.apply(o))).toList();
    if (usable.stream().mapToLong(TrialOutcome::params).distinct().count() < PowerLawFit.MIN_POINTS) {
      return Optional.empty();
    }
    double[] sizes = values(usable, o -> o.params());
    double[] errors = values(usable, o -> error.apply(o));
    PowerLawFit fit;
    try {
      fit = PowerLawFit.fit(sizes, errors);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    // A degenerate fit (flat errors: nc overflows) has no JSON number to be stored as; a status
    // carrying NaN or Infinity would be refused by the API server, and with it every other field.
    if (!(Double.isFinite(fit.nc()) && Double.isFinite(fit.alpha()) && Double.isFinite(fit.eInf()) && Double.isFinite(fit.rmse()))) {
      return Optional.empty();
    }
    PowerLawFitStatus status = new PowerLawFitStatus();
    status.setQuality(quality);
    status.setNc(fit.nc());
    status.setAlpha(fit.alpha());
    status.setEInf(fit.eInf());
    status.setRmse(fit.rmse());
    status.setPoints(fit.points());
    return Optional.of(status);
  }

  private static double[] values(List<TrialOutcome> outcomes, ToDoubleFunction<TrialOutcome> f) {
    return outcomes.stream().mapToDouble(f).toArray();
  }

  static Double quality(TrialOutcome o, String quality) {
    return quality.equals("upstream") ? o.negLogPerplexity() : o.downstreamAverage();
  }

  static Double cost(TrialOutcome o, String cost) {
    return switch (cost) {
      case "params" -> (double) o.params();
      case "flops" -> (double) o.flops();
      case "throughput" -> o.tokensPerSecond() == null || o.tokensPerSecond() <= 0 ? null : 1 / o.tokensPerSecond();
      default -> throw new IllegalArgumentException("unknown cost axis " + cost);
    };
  }
}
