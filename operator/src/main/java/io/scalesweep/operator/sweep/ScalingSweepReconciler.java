package io.scalesweep.operator.sweep;

import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.scalesweep.api.shape.Trial;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.ScalingSweepStatus;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.operator.common.Conditions;
import io.scalesweep.operator.common.Json;
import io.scalesweep.operator.common.ReconcileErrors;
import io.scalesweep.operator.config.AdmissionPolicy;
import io.scalesweep.operator.config.DeletionSettings;
import io.scalesweep.operator.config.TrainerSettings;
import io.scalesweep.operator.metrics.SweepMetrics;
import io.scalesweep.operator.storage.SweepGathering;
import io.scalesweep.operator.storage.SweepObjects;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a sweep: creates its TrainingJobs as the plan allows (a standalone dependent), aggregates
 * them into the sweep's status and metrics, and gathers them into object storage (the catalog,
 * checkpoint pruning). An invalid spec becomes the InvalidSpec condition and a storage error the
 * CatalogWritten condition, never an exception, so neither puts the sweep into a crash loop.
 *
 * <p>It sees every event, deletions included ({@code triggerReconcilerOnAllEvents}), so that a
 * sweep carries a finalizer only when its objects are to be deleted with it: a JOSDK {@code
 * Cleaner} would put one on every sweep, and a namespace could not be deleted while the operator
 * is down. That mode allows no managed workflow, hence the standalone dependent.
 */
@ControllerConfiguration(name = ScalingSweepReconciler.NAME, triggerReconcilerOnAllEvents = true)
public class ScalingSweepReconciler implements Reconciler<ScalingSweep> {

  public static final String NAME = "scalingsweep";

  private static final Duration LAUNCH_NOW = Duration.ofMillis(10);

  private final SweepMetrics metrics;
  private final AdmissionPolicy policy;
  private final SweepTrainingJobsDependentResource trials;
  private final SweepCleanup cleanup;
  private final SweepGathering gathering = new SweepGathering();
  private final SweepExpansions expansions = new SweepExpansions();

  public ScalingSweepReconciler(SweepMetrics metrics, TrainerSettings settings, DeletionSettings deletion) {
    this.metrics = metrics;
    this.policy = settings.policy();
    this.trials = new SweepTrainingJobsDependentResource(settings, expansions);
    this.cleanup = new SweepCleanup(deletion.timeout(), policy);
  }

  @Override
  public List<EventSource<?, ScalingSweep>> prepareEventSources(EventSourceContext<ScalingSweep> context) {
    return List.of(trials.eventSource(context).orElseThrow());
  }

  @Override
  public UpdateControl<ScalingSweep> reconcile(ScalingSweep sweep, Context<ScalingSweep> context) {
    if (context.isPrimaryResourceDeleted()) {
      gathering.forget(sweep);
      expansions.forget(sweep);
      metrics.sweepDeleted(sweep.getMetadata().getNamespace(), sweep.getMetadata().getName());
      return UpdateControl.noUpdate();
    }
    boolean finalizerWanted = SweepObjects.deletedWithSweep(sweep);
    boolean hasFinalizer = sweep.hasFinalizer(SweepDeletion.FINALIZER);
    if (sweep.isMarkedForDeletion()) {
      if (!hasFinalizer) {
        return UpdateControl.noUpdate();
      }
      if (!finalizerWanted) {
        // Put there by an older operator, which gave every sweep one: nothing to clean up.
        context.resourceOperations().removeFinalizer(SweepDeletion.FINALIZER);
        return UpdateControl.noUpdate();
      }
      return cleanup.step(sweep, context);
    }
    if (finalizerWanted != hasFinalizer) {
      // Before any object is written, so that none can be left behind by a deletion.
      if (finalizerWanted) {
        context.resourceOperations().addFinalizer(SweepDeletion.FINALIZER);
      } else {
        context.resourceOperations().removeFinalizer(SweepDeletion.FINALIZER);
      }
      // The patch's own event is filtered: come back at once to carry on.
      return UpdateControl.<ScalingSweep>noUpdate().rescheduleAfter(LAUNCH_NOW);
    }
    trials.reconcile(sweep, context);
    SweepSuspension.apply(sweep, context);
    return running(sweep, context);
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
    if (context.isPrimaryResourceDeleted()) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
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
