package io.scalesweep.operator.sweep;

import io.scalesweep.api.analysis.TrialOutcome;
import io.scalesweep.api.v1alpha1.BestTrial;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobStatus;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.api.v1alpha1.TrialResult;
import io.scalesweep.api.v1alpha1.TrialSummary;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The finished trials of a sweep as rows, best first, and as outcomes for the Pareto and
 * power-law analysis. "Best" is the downstream average score when the sweep fine-tunes, else the
 * upstream negative log-perplexity; trials without that measurement (failed ones) come last.
 */
final class ResultsTable {

  static final String UPSTREAM = "upstream";
  static final String DOWNSTREAM = "downstream";

  private ResultsTable() {}

  /** Which quality ranks the trials of this sweep. */
  static String rankingQuality(ScalingSweep sweep) {
    return sweep.getSpec().getFinetune() == null ? UPSTREAM : DOWNSTREAM;
  }

  /** Every finished trial, best first. */
  static List<TrialSummary> rows(Collection<TrainingJob> trainingJobs, String quality) {
    Function<TrialSummary, Double> value = quality.equals(DOWNSTREAM)
        ? TrialSummary::getDownstreamAverage
        : TrialSummary::getNegLogPerplexity;
    Comparator<TrialSummary> best = Comparator
        .comparing(value, Comparator.nullsLast(Comparator.reverseOrder()))
        .thenComparing(TrialSummary::getParams, Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparing(TrialSummary::getName);
    return trainingJobs.stream()
        .filter(tj -> TrainingJobStatus.finished(tj.getStatus()))
        .map(ResultsTable::row)
        .sorted(best)
        .toList();
  }

  static Optional<BestTrial> best(List<TrialSummary> rows, String quality) {
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    TrialSummary top = rows.get(0);
    Double value = quality.equals(DOWNSTREAM) ? top.getDownstreamAverage() : top.getNegLogPerplexity();
    if (value == null) {
      return Optional.empty();
    }
    BestTrial best = new BestTrial();
    best.setCode(top.getCode());
    best.setMetric(quality);
    best.setValue(value);
    return Optional.of(best);
  }

  /** Succeeded trials with the measurements the analysis needs. */
  static List<TrialOutcome> outcomes(List<TrialSummary> rows) {
    return rows.stream()
        .filter(r -> r.getPhase() == TrialPhase.Succeeded && r.getParams() != null && r.getFlops() != null)
        .map(r -> new TrialOutcome(r.getCode(), r.getParams(), r.getFlops(), r.getTokensPerSecond(),
            r.getNegLogPerplexity(), r.getDownstreamAverage()))
        .toList();
  }

  private static TrialSummary row(TrainingJob tj) {
    TrialSummary row = new TrialSummary();
    row.setName(tj.getMetadata().getName());
    row.setCode(tj.getSpec().getCode());
    row.setPhase(tj.getStatus().getPhase());
    TrialResult r = tj.getStatus().getResult();
    if (r != null && tj.getStatus().getPhase() == TrialPhase.Succeeded) {
      row.setParams(r.getParams());
      row.setFlops(r.getFlops());
      row.setTokensPerSecond(r.getTokensPerSecond());
      row.setNegLogPerplexity(r.getNegLogPerplexity());
      row.setDownstreamAverage(r.getDownstreamAverage());
    }
    return row;
  }
}
