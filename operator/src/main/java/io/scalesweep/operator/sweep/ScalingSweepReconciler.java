package io.scalesweep.operator.sweep;

import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.scalesweep.api.shape.Trial;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.ScalingSweepStatus;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.operator.common.Conditions;
import io.scalesweep.operator.common.Json;
import io.scalesweep.operator.common.ReconcileErrors;
import io.scalesweep.operator.config.AdmissionPolicy;
import io.scalesweep.operator.config.TrainerSettings;
import io.scalesweep.operator.metrics.SweepMetrics;
import io.scalesweep.operator.storage.SweepGathering;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a sweep: its TrainingJobs are a dependent created as the plan allows; this class
 * aggregates them into the sweep's status and metrics, and gathers them into object storage (the
 * catalog, checkpoint pruning). An invalid spec becomes the InvalidSpec condition and a storage
 * error the CatalogWritten condition, never an exception, so neither puts the sweep into a crash
 * loop. It is not a Cleaner, so it puts no finalizer on sweeps: deleting a sweep whose objects go
 * with it is {@link SweepDeletionReconciler}'s.
 */
@Workflow(dependents = @Dependent(name = ScalingSweepReconciler.TRIALS, type = SweepTrainingJobsDependentResource.class))
@ControllerConfiguration(name = ScalingSweepReconciler.NAME)
public class ScalingSweepReconciler implements Reconciler<ScalingSweep> {

  public static final String NAME = "scalingsweep";
  static final String TRIALS = "trials";

  private static final Duration LAUNCH_NOW = Duration.ofMillis(10);

  private final SweepMetrics metrics;
  private final AdmissionPolicy policy;
  private final SweepGathering gathering = new SweepGathering();
  private final SweepExpansions expansions = new SweepExpansions();

  public ScalingSweepReconciler(SweepMetrics metrics, TrainerSettings settings) {
    this.metrics = metrics;
    this.policy = settings.policy();
  }

  @Override
  public UpdateControl<ScalingSweep> reconcile(ScalingSweep sweep, Context<ScalingSweep> context) {
    forgetDeleted(context);
    SweepSuspension.apply(sweep, context);
    return running(sweep, context);
  }

  /**
   * This controller holds no finalizer (see {@link SweepDeletionReconciler}), so JOSDK never tells
   * it of a deletion: what it remembers of sweeps that are gone from its cache is dropped here.
   */
  private void forgetDeleted(Context<ScalingSweep> context) {
    Set<String> uids = new HashSet<>();
    Set<SweepMetrics.SweepKey> keys = new HashSet<>();
    context.getPrimaryCache().list().forEach(s -> {
      uids.add(s.getMetadata().getUid());
      keys.add(new SweepMetrics.SweepKey(s.getMetadata().getNamespace(), s.getMetadata().getName()));
    });
    gathering.retainOnly(uids);
    expansions.retainOnly(uids);
    metrics.retainOnly(keys);
  }

  private UpdateControl<ScalingSweep> running(ScalingSweep sweep, Context<ScalingSweep> context) {
    Set<TrainingJob> trainingJobs = context.getSecondaryResources(TrainingJob.class);
    SweepPlan plan = SweepPlan.of(sweep, trainingJobs, policy, expansions::trials);
    Instant now = Instant.now();
    ScalingSweepStatus next = SweepStatusAggregator.aggregate(sweep, plan, trainingJobs, now);
    SweepGathering.Gathered gathered = gather(sweep, plan, trainingJobs, context, now);
    next.setCatalogUri(gathered.catalogUri());
    if (!gathered.conditions().isEmpty()) {
      next.setConditions(withConditions(sweep, next.getConditions(), gathered.conditions(), now));
    }
    publish(sweep, next);
    // Status patches do not bring the sweep back (JOSDK filters events by generation): when this
    // pass is what lets trials launch, come back at once to launch them.
    boolean unblocked = SweepPlan.storageBlocked(sweep) && !SweepPlan.storageBlocked(sweep, next.getConditions());
    UpdateControl<ScalingSweep> control;
    if (Json.sameJson(sweep.getStatus(), next)) {
      control = UpdateControl.noUpdate();
    } else {
      // JOSDK hands the reconciler a copy of the cached primary, so it can carry the new status.
      sweep.setStatus(next);
      control = UpdateControl.patchStatus(sweep);
    }
    if (unblocked) {
      return control.rescheduleAfter(LAUNCH_NOW);
    }
    return gathered.retryAfter().map(control::rescheduleAfter).orElse(control);
  }

  /**
   * A pass that threw (an API request refused, a bug) shows as the ReconcileError condition on
   * the stored status; JOSDK retries with backoff, and the next good pass drops the condition.
   */
  @Override
  public ErrorStatusUpdateControl<ScalingSweep> updateErrorStatus(ScalingSweep sweep, Context<ScalingSweep> context, Exception e) {
    ScalingSweep stored = context.getPrimaryCache().get(ResourceID.fromResource(sweep)).orElse(sweep);
    ScalingSweepStatus status = stored.getStatus() == null ? new ScalingSweepStatus() : Json.copy(stored.getStatus(), ScalingSweepStatus.class);
    return ReconcileErrors.withError(status.getConditions(), e, sweep.getMetadata().getGeneration(), Instant.now())
        .map(conditions -> {
          status.setConditions(conditions);
          sweep.setStatus(status);
          return ErrorStatusUpdateControl.patchStatus(sweep);
        })
        .orElseGet(ErrorStatusUpdateControl::noStatusUpdate);
  }

  private SweepGathering.Gathered gather(ScalingSweep sweep, SweepPlan plan, Set<TrainingJob> trainingJobs,
      Context<ScalingSweep> context, Instant now) {
    if (plan.invalid().isPresent()) {
      // A spec the admission policy refuses may name file:// storage, a forbidden endpoint or no
      // Secret: the operator must not touch that storage on the sweep's behalf at all.
      String previous = sweep.getStatus() == null ? null : sweep.getStatus().getCatalogUri();
      return new SweepGathering.Gathered(previous, List.of(), Optional.empty());
    }
    List<String> order = plan.trials().stream().map(Trial::name).toList();
    String previous = sweep.getStatus() == null ? null : sweep.getStatus().getCatalogUri();
    return gathering.gather(sweep, order, trainingJobs, context.getClient(), previous, now);
  }

  /** The aggregated conditions plus the storage ones, their transition times kept while they hold. */
  private static List<Condition> withConditions(ScalingSweep sweep, List<Condition> aggregated, List<Conditions.Wanted> wanted, Instant now) {
    List<Condition> previous = sweep.getStatus() == null ? null : sweep.getStatus().getConditions();
    List<Condition> all = new ArrayList<>(aggregated == null ? List.of() : aggregated);
    all.addAll(Conditions.merge(previous, wanted, sweep.getMetadata().getGeneration(), now));
    return all;
  }

  private void publish(ScalingSweep sweep, ScalingSweepStatus status) {
    var best = status.getBest();
    metrics.sweepObserved(
        sweep.getMetadata().getNamespace(),
        sweep.getMetadata().getName(),
        new SweepMetrics.Snapshot(status.getTrials(), best == null ? null : best.getMetric(), best == null ? null : best.getValue()));
  }
}
