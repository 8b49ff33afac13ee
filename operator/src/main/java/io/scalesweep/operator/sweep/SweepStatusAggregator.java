package io.scalesweep.operator.sweep;

import static io.scalesweep.operator.sweep.SweepConditions.*;

import io.fabric8.kubernetes.api.model.Condition;
import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.analysis.SweepAnalysis;
import io.scalesweep.api.analysis.TrialOutcome;
import io.scalesweep.api.v1alpha1.FailurePolicySpec;
import io.scalesweep.api.v1alpha1.ParetoSet;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.ScalingSweepStatus;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialCounts;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.api.v1alpha1.TrialSummary;
import io.scalesweep.operator.common.Conditions.Wanted;
import io.scalesweep.operator.common.Conditions;
import io.scalesweep.operator.common.InvalidSpecs;
import io.scalesweep.operator.common.SpecDefaults;
import io.scalesweep.operator.trainingjob.TrainingJobConditions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Computes a sweep's status from its plan and its TrainingJobs: counts, the results table, the
 * best trial, Pareto sets, power-law fits and conditions. A pure function; its size is bounded
 * whatever the number of trials (the catalog, not the status, holds every trial).
 */
public final class SweepStatusAggregator {

  /** Rows of the results table. */
  static final int MAX_RESULTS = 100;
  /** Codes per Pareto set; frontiers are short in practice, this only bounds the worst case. */
  static final int MAX_PARETO_CODES = 100;

  private SweepStatusAggregator() {}

  public static ScalingSweepStatus aggregate(
      ScalingSweep sweep, SweepPlan plan, Collection<TrainingJob> trainingJobs, Instant now) {
    ScalingSweepStatus previous = sweep.getStatus() == null ? new ScalingSweepStatus() : sweep.getStatus();
    ScalingSweepStatus status = new ScalingSweepStatus();
    status.setObservedGeneration(sweep.getMetadata().getGeneration());
    TrialCounts counts = counts(plan, trainingJobs);
    status.setTrials(counts);
    // A suspended sweep launches nothing more, so only its running trials are left to wait for.
    int parallelism = sweep.getSpec().getParallelism() == null ? SweepPlan.DEFAULT_PARALLELISM : sweep.getSpec().getParallelism();
    status.setEtaSeconds(SweepEta.estimate(trainingJobs, plan.suspended() ? 0 : counts.getPending(), parallelism, now));

    String quality = ResultsTable.rankingQuality(sweep);
    List<TrialSummary> rows = ResultsTable.rows(trainingJobs, quality);
    status.setResults(rows.isEmpty() ? null : List.copyOf(rows.subList(0, Math.min(MAX_RESULTS, rows.size()))));
    status.setResultsTruncated(rows.size() > MAX_RESULTS ? Boolean.TRUE : null);
    ResultsTable.best(rows, quality).ifPresent(status::setBest);
    List<TrialOutcome> outcomes = ResultsTable.outcomes(rows);
    List<ParetoSet> pareto = bounded(SweepAnalysis.paretoSets(outcomes));
    status.setPareto(pareto.isEmpty() ? null : pareto);
    var fits = SweepAnalysis.fits(outcomes);
    status.setFits(fits.isEmpty() ? null : fits);

    status.setConditions(Conditions.merge(
        previous.getConditions(), conditions(sweep, plan, counts, trainingJobs), sweep.getMetadata().getGeneration(), now));
    return status;
  }

  private static TrialCounts counts(SweepPlan plan, Collection<TrainingJob> trainingJobs) {
    int running = 0;
    int succeeded = 0;
    int failed = 0;
    for (TrainingJob tj : trainingJobs) {
      TrialPhase phase = tj.getStatus() == null ? null : tj.getStatus().getPhase();
      if (phase == TrialPhase.Running) {
        running++;
      } else if (phase == TrialPhase.Succeeded) {
        succeeded++;
      } else if (phase == TrialPhase.Failed) {
        failed++;
      }
    }
    int total = Math.max(plan.trials().size(), trainingJobs.size());
    TrialCounts counts = new TrialCounts();
    counts.setTotal(total);
    counts.setRunning(running);
    counts.setSucceeded(succeeded);
    counts.setFailed(failed);
    counts.setPending(total - running - succeeded - failed);
    return counts;
  }

  private static List<Wanted> conditions(
      ScalingSweep sweep, SweepPlan plan, TrialCounts counts, Collection<TrainingJob> trainingJobs) {
    List<Wanted> wanted = new ArrayList<>();
    boolean unfinishedWork = plan.unfinished() > 0 || plan.notCreated() > 0;
    boolean canLaunch = plan.invalid().isEmpty() && !plan.suspended() && !plan.tooManyFailures();
    boolean progressing = plan.unfinished() > 0 || (plan.notCreated() > 0 && canLaunch);

    if (plan.invalid().isPresent()) {
      InvalidSpecException e = plan.invalid().get();
      String message = InvalidSpecs.describe(e);
      wanted.add(Wanted.of(READY, false, REASON_INVALID_FIELD, message));
      wanted.add(Wanted.of(PROGRESSING, progressing, progressing ? REASON_TRIALS_IN_PROGRESS : REASON_INVALID_FIELD, message));
    } else if (plan.tooManyFailures()) {
      wanted.add(Wanted.of(READY, false, REASON_TOO_MANY_FAILED_TRIALS, failureMessage(sweep, plan)));
      wanted.add(Wanted.of(PROGRESSING, progressing, progressing ? REASON_TRIALS_IN_PROGRESS : REASON_TOO_MANY_FAILED_TRIALS,
          progressing ? plan.unfinished() + " trials still running; no new trials are launched" : failureMessage(sweep, plan)));
    } else if (unfinishedWork) {
      String message = counts.getSucceeded() + " of " + counts.getTotal() + " trials succeeded, "
          + counts.getRunning() + " running, " + counts.getFailed() + " failed" + neverStarted(trainingJobs) + stuck(trainingJobs);
      String reason = plan.suspended() && !progressing ? REASON_SUSPENDED : REASON_TRIALS_IN_PROGRESS;
      wanted.add(Wanted.of(READY, false, reason, message));
      wanted.add(Wanted.of(PROGRESSING, progressing, reason, message));
    } else {
      boolean clean = counts.getFailed() == 0;
      String message = counts.getSucceeded() + " of " + counts.getTotal() + " trials succeeded"
          + (clean ? "" : ", " + counts.getFailed() + " failed" + neverStarted(trainingJobs));
      wanted.add(Wanted.of(READY, true, clean ? REASON_SUCCEEDED : REASON_COMPLETED_WITH_FAILURES, message));
      wanted.add(Wanted.of(PROGRESSING, false, REASON_FINISHED, message));
    }
    wanted.add(plan.suspended()
        ? Wanted.of(SUSPENDED, true, REASON_SUSPENDED, suspendedMessage(sweep))
        : Wanted.of(SUSPENDED, false, REASON_NOT_SUSPENDED, ""));
    wanted.add(plan.tooManyFailures()
        ? Wanted.of(FAILED, true, REASON_TOO_MANY_FAILED_TRIALS, failureMessage(sweep, plan))
        : Wanted.of(FAILED, false, REASON_WITHIN_FAILURE_BUDGET, ""));
    wanted.add(plan.invalid()
        .map(e -> Wanted.of(INVALID_SPEC, true, REASON_INVALID_FIELD, InvalidSpecs.describe(e)))
        .orElse(Wanted.of(INVALID_SPEC, false, REASON_VALID, "")));
    // Flux's kstatus reads Stalled as failed: neither an invalid spec nor a spent failure budget
    // heals by waiting, while everything else here does.
    if (plan.invalid().isPresent()) {
      wanted.add(Wanted.of(STALLED, true, REASON_INVALID_FIELD, InvalidSpecs.describe(plan.invalid().get())));
    } else if (plan.tooManyFailures()) {
      wanted.add(Wanted.of(STALLED, true, REASON_TOO_MANY_FAILED_TRIALS, failureMessage(sweep, plan)));
    } else {
      wanted.add(Wanted.of(STALLED, false, REASON_NOT_STALLED, ""));
    }
    return wanted;
  }

  /**
   * {@code " (1 never started: dn-sm (StartDeadlineExceeded))"}: failed trials the failure budget
   * does not count, or "" when there are none.
   */
  private static String neverStarted(Collection<TrainingJob> trainingJobs) {
    List<String> names = new ArrayList<>();
    for (TrainingJob tj : trainingJobs) {
      if (tj.getStatus() != null && tj.getStatus().getPhase() == TrialPhase.Failed && !TrainingJobConditions.isModelFailure(tj.getStatus())) {
        Condition failed = Conditions.find(tj.getStatus().getConditions(), TrainingJobConditions.FAILED);
        names.add(tj.getMetadata().getName() + " (" + failed.getReason() + ")");
      }
    }
    if (names.isEmpty()) {
      return "";
    }
    return " (" + names.size() + " never started, not counted against the failure budget: "
        + String.join(", ", names.subList(0, Math.min(3, names.size()))) + (names.size() > 3 ? ", ..." : "") + ")";
  }

  /** {@code "; 2 stuck: dn-sm (ImagePullBackOff), ..."}, or "" when no trial is stuck. */
  private static String stuck(Collection<TrainingJob> trainingJobs) {
    List<String> stuck = new ArrayList<>();
    for (TrainingJob tj : trainingJobs) {
      if (tj.getStatus() == null || tj.getStatus().getPhase() != TrialPhase.Pending) {
        continue;
      }
      Condition ready = Conditions.find(tj.getStatus().getConditions(), TrainingJobConditions.READY);
      if (ready != null && TrainingJobConditions.STUCK_REASONS.contains(ready.getReason())) {
        stuck.add(tj.getMetadata().getName() + " (" + ready.getReason() + ")");
      }
    }
    if (stuck.isEmpty()) {
      return "";
    }
    return "; " + stuck.size() + " stuck: " + String.join(", ", stuck.subList(0, Math.min(3, stuck.size())))
        + (stuck.size() > 3 ? ", ..." : "") + " (see their conditions)";
  }

  private static String suspendedMessage(ScalingSweep sweep) {
    return sweep.getSpec().getSuspendPolicy() == io.scalesweep.api.v1alpha1.SuspendPolicy.StopRunning
        ? "spec.suspend is true: no new trials are launched and running trials are stopped; they resume from their checkpoints"
        : "spec.suspend is true: no new trials are launched; running trials finish";
  }

  private static String failureMessage(ScalingSweep sweep, SweepPlan plan) {
    FailurePolicySpec policy = SpecDefaults.withDefaults(
        sweep.getSpec().getFailurePolicy(), FailurePolicySpec.class, "spec.failurePolicy");
    return plan.failed() + " trials failed, more than spec.failurePolicy.maxFailedTrials ("
        + policy.getMaxFailedTrials() + "): no new trials are launched";
  }

  private static List<ParetoSet> bounded(List<ParetoSet> sets) {
    for (ParetoSet set : sets) {
      if (set.getCodes() != null && set.getCodes().size() > MAX_PARETO_CODES) {
        set.setCodes(List.copyOf(set.getCodes().subList(0, MAX_PARETO_CODES)));
      }
    }
    return sets;
  }
}
