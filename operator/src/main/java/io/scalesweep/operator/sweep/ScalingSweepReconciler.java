package io.scalesweep.operator.sweep;

import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.shape.Trial;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.ScalingSweepStatus;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.operator.common.Conditions;
import io.scalesweep.operator.common.InvalidSpecs;
import io.scalesweep.operator.common.Json;
import io.scalesweep.operator.common.KubeEvents;
import io.scalesweep.operator.config.AdmissionPolicy;
import io.scalesweep.operator.config.TrainerSettings;
import io.scalesweep.operator.metrics.SweepMetrics;
import io.scalesweep.operator.storage.SweepGathering;
import io.scalesweep.operator.storage.SweepObjects;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Runs a sweep: its TrainingJobs are a dependent created as the plan allows; this class only
 * aggregates them into the sweep's status and metrics, and gathers them into object storage (the
 * catalog, checkpoint pruning). An invalid spec becomes the InvalidSpec condition and a storage
 * error the CatalogWritten condition, never an exception, so neither puts the sweep into a crash
 * loop.
 */
@Workflow(dependents = @Dependent(name = ScalingSweepReconciler.TRIALS, type = SweepTrainingJobsDependentResource.class))
@ControllerConfiguration(name = ScalingSweepReconciler.NAME)
public class ScalingSweepReconciler implements Reconciler<ScalingSweep>, Cleaner<ScalingSweep> {

  public static final String NAME = "scalingsweep";
  static final String TRIALS = "trials";

  /** Storage errors while deleting a sweep's objects keep the finalizer; retried this often. */
  static final Duration DELETE_RETRY = Duration.ofSeconds(30);
  static final String REASON_OBJECTS_DELETED = "ObjectsDeleted";
  static final String REASON_OBJECTS_KEPT = "ObjectsNotOwned";
  private static final Duration LAUNCH_NOW = Duration.ofMillis(10);

  private static final Logger LOG = Logger.getLogger(ScalingSweepReconciler.class);

  private final SweepMetrics metrics;
  private final AdmissionPolicy policy;
  private final SweepGathering gathering = new SweepGathering();

  public ScalingSweepReconciler(SweepMetrics metrics, TrainerSettings settings) {
    this.metrics = metrics;
    this.policy = settings.policy();
  }

  @Override
  public UpdateControl<ScalingSweep> reconcile(ScalingSweep sweep, Context<ScalingSweep> context) {
    Set<TrainingJob> trainingJobs = context.getSecondaryResources(TrainingJob.class);
    SweepPlan plan = SweepPlan.of(sweep, trainingJobs, policy);
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
   * Removes the sweep's metric series and, when {@code storage.deleteOnSweepDeletion} asks, its
   * objects; its TrainingJobs go by garbage collection. A storage error keeps the finalizer.
   */
  @Override
  public DeleteControl cleanup(ScalingSweep sweep, Context<ScalingSweep> context) {
    Optional<InvalidSpecException> refused = SweepValidation.problem(sweep.getSpec(), policy);
    if (SweepObjects.deletedWithSweep(sweep) && refused.isPresent()) {
      // As in reconcile: storage a refused spec names is never touched, not even to delete.
      KubeEvents.record(context.getClient(), sweep, KubeEvents.WARNING, REASON_OBJECTS_KEPT,
          "deleted nothing under " + SweepObjects.sweepUri(sweep) + ": " + InvalidSpecs.describe(refused.get()));
    } else if (SweepObjects.deletedWithSweep(sweep)) {
      String uri = SweepObjects.sweepUri(sweep);
      try {
        Optional<Integer> deleted = SweepObjects.delete(sweep, context.getClient());
        if (deleted.isPresent()) {
          KubeEvents.record(context.getClient(), sweep, KubeEvents.NORMAL, REASON_OBJECTS_DELETED,
              "deleted " + deleted.get() + " objects under " + uri);
        } else {
          KubeEvents.record(context.getClient(), sweep, KubeEvents.WARNING, REASON_OBJECTS_KEPT,
              "deleted nothing under " + uri + ": its " + StorageLayout.OWNER_FILE + " does not name this sweep");
        }
      } catch (IOException | RuntimeException e) {
        String message = "could not delete " + uri + " (spec.storage.deleteOnSweepDeletion): " + e.getMessage()
            + "; retrying in " + DELETE_RETRY.toSeconds() + "s";
        LOG.warnf("sweep %s/%s: %s", sweep.getMetadata().getNamespace(), sweep.getMetadata().getName(), message);
        KubeEvents.record(context.getClient(), sweep, KubeEvents.WARNING, SweepGathering.REASON_STORAGE_ERROR, message);
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(DELETE_RETRY);
      }
    }
    gathering.forget(sweep);
    metrics.sweepDeleted(sweep.getMetadata().getNamespace(), sweep.getMetadata().getName());
    return DeleteControl.defaultDelete();
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
