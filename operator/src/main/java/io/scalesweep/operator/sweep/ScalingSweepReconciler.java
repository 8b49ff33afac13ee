package io.scalesweep.operator.sweep;

import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.ScalingSweepStatus;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.operator.common.Json;
import io.scalesweep.operator.metrics.SweepMetrics;
import java.time.Instant;
import java.util.Set;

/**
 * Runs a sweep: its TrainingJobs are a dependent created as the plan allows; this class only
 * aggregates them into the sweep's status and metrics. An invalid spec becomes the InvalidSpec
 * condition, never an exception, so a bad manifest does not put the sweep into a retry loop.
 */
@Workflow(dependents = @Dependent(name = ScalingSweepReconciler.TRIALS, type = SweepTrainingJobsDependentResource.class))
@ControllerConfiguration(name = ScalingSweepReconciler.NAME)
public class ScalingSweepReconciler implements Reconciler<ScalingSweep>, Cleaner<ScalingSweep> {

  public static final String NAME = "scalingsweep";
  static final String TRIALS = "trials";

  private final SweepMetrics metrics;

  public ScalingSweepReconciler(SweepMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public UpdateControl<ScalingSweep> reconcile(ScalingSweep sweep, Context<ScalingSweep> context) {
    Set<TrainingJob> trainingJobs = context.getSecondaryResources(TrainingJob.class);
    SweepPlan plan = SweepPlan.of(sweep, trainingJobs);
    ScalingSweepStatus next = SweepStatusAggregator.aggregate(sweep, plan, trainingJobs, Instant.now());
    publish(sweep, next);
    if (Json.sameJson(sweep.getStatus(), next)) {
      return UpdateControl.noUpdate();
    }
    // JOSDK hands the reconciler a copy of the cached primary, so it can carry the new status.
    sweep.setStatus(next);
    return UpdateControl.patchStatus(sweep);
  }

  /** Removes the sweep's metric series; its TrainingJobs go by garbage collection. */
  @Override
  public DeleteControl cleanup(ScalingSweep sweep, Context<ScalingSweep> context) {
    metrics.sweepDeleted(sweep.getMetadata().getNamespace(), sweep.getMetadata().getName());
    return DeleteControl.defaultDelete();
  }

  private void publish(ScalingSweep sweep, ScalingSweepStatus status) {
    var best = status.getBest();
    metrics.sweepObserved(
        sweep.getMetadata().getNamespace(),
        sweep.getMetadata().getName(),
        new SweepMetrics.Snapshot(status.getTrials(), best == null ? null : best.getMetric(), best == null ? null : best.getValue()));
  }
}
