package io.scalesweep.operator.trainingjob;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobStatus;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.operator.common.Conditions;
import io.scalesweep.operator.common.Json;
import io.scalesweep.operator.common.ReconcileErrors;
import io.scalesweep.operator.common.Recheck;
import io.scalesweep.operator.common.Labels;
import io.scalesweep.operator.common.ManagedFieldsFreeStore;
import io.scalesweep.operator.config.AdmissionPolicy;
import io.scalesweep.operator.config.TrainerSettings;
import io.scalesweep.operator.metrics.SweepMetrics;
import io.scalesweep.operator.storage.SharedStores;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs one trial: the trial ConfigMap and the Job are dependents; this class only turns the Job
 * and its pods into the TrainingJob's status (with the live progress the trainer reports in
 * storage), records Events and counts GPU time. A trial that cannot start says why (its Secret,
 * its pod, its Job's Events), is failed after its optional start deadline, and a reconciliation
 * that throws shows as a condition.
 */
@Workflow(
    dependents = {
      @Dependent(
          name = TrainingJobReconciler.CONFIG_MAP,
          type = TrialConfigMapDependentResource.class,
          reconcilePrecondition = TrialUnfinishedCondition.class),
      @Dependent(
          name = TrainingJobReconciler.JOB,
          type = TrialJobDependentResource.class,
          dependsOn = TrainingJobReconciler.CONFIG_MAP,
          reconcilePrecondition = TrialRunnableCondition.class)
    })
@ControllerConfiguration(
    name = TrainingJobReconciler.NAME,
    informer = @Informer(labelSelector = Labels.UNFINISHED_SELECTOR, itemStore = ManagedFieldsFreeStore.class))
public class TrainingJobReconciler implements Reconciler<TrainingJob> {

  public static final String NAME = "trainingjob";
  static final String CONFIG_MAP = "trial-config";
  static final String JOB = "trial-job";

  private final SweepMetrics metrics;
  private final AdmissionPolicy policy;
  private final TrialEvents events;
  private final SharedStores stores = new SharedStores();
  private final TrialProgressReader progress = new TrialProgressReader(stores);
  private final StoredResultReader storedResults = new StoredResultReader(stores);
  private final GpuTimeMeter gpuTime;

  public TrainingJobReconciler(SweepMetrics metrics, TrainerSettings settings) {
    this.metrics = metrics;
    this.policy = settings.policy();
    this.events = new TrialEvents();
    this.gpuTime = new GpuTimeMeter(metrics);
  }

  @Override
  public List<EventSource<?, TrainingJob>> prepareEventSources(EventSourceContext<TrainingJob> context) {
    // Pods belong to the Job, not to the TrainingJob: they find their trial through annotations
    // the pod template carries, and only trainer pods are cached.
    var pods = InformerEventSourceConfiguration.from(Pod.class, TrainingJob.class)
        .withName("trainer-pods")
        .withLabelSelector(Labels.TRAINER_SELECTOR)
        .withSecondaryToPrimaryMapper(TrainingJobReconciler::trialOf)
        .withItemStore(new ManagedFieldsFreeStore<>())
        .build();
    return List.of(new InformerEventSource<>(pods, context));
  }

  /** A pod's trial is named by its annotation and lives in the pod's namespace. */
  static Set<ResourceID> trialOf(Pod pod) {
    var annotations = pod.getMetadata().getAnnotations();
    String trial = annotations == null ? null : annotations.get(Labels.TRAINING_JOB_ANNOTATION);
    return trial == null ? Set.of() : Set.of(new ResourceID(trial, pod.getMetadata().getNamespace()));
  }

  @Override
  public UpdateControl<TrainingJob> reconcile(TrainingJob trial, Context<TrainingJob> context) {
    Instant now = Instant.now();
    Optional<Job> job = context.getSecondaryResource(Job.class);
    // A suspended trial runs no Job: its pod gets SIGTERM and goes with it (TrialSuspension).
    TrialSuspension.stopJob(context.getClient(), trial, job);
    var pods = context.getSecondaryResources(Pod.class);
    var observed = new TrainingJobStatusAggregator.Observed(
        TrialValidation.problem(trial, policy), job, pods, missingSecret(context),
        JobFailedCreate.worthLooking(job, pods, now) ? JobFailedCreate.find(context.getClient(), job.get()) : Optional.empty(),
        TrainingJobStatusAggregator.wantsStoredResult(trial, job, pods)
            ? storedResults.read(context.getClient(), trial, now) : StoredResult.NONE);
    TrainingJobStatus next = TrainingJobStatusAggregator.aggregate(trial, observed, now);
    TrainingJobStatus previous = trial.getStatus() == null ? new TrainingJobStatus() : trial.getStatus();
    boolean running = next.getPhase() == TrialPhase.Running;
    boolean justFinished = TrainingJobStatus.finished(next) && previous.getPhase() != next.getPhase();
    next.setProgress(progress.current(context.getClient(), trial, previous.getProgress(), running, justFinished, now));
    if (justFinished && job.isPresent() && Conditions.isTrue(next.getConditions(), TrainingJobConditions.FAILED)
        && TrainingJobConditions.REASON_START_DEADLINE_EXCEEDED.equals(
            Conditions.find(next.getConditions(), TrainingJobConditions.FAILED).getReason())) {
      // Its pod gives its GPU back with the Job; garbage collection removes the pod.
      context.getClient().resource(job.get()).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    }
    gpuTime.observe(trial, previous, next);
    Optional<ConfigMap> configMap = context.getSecondaryResource(ConfigMap.class);
    FinishedTrialConfigMap.release(context.getClient(), next, configMap);
    if (TrialRetirement.due(trial, previous, next, configMap)) {
      TrialRetirement.retire(context.getClient(), trial);
      return UpdateControl.noUpdate();
    }
    UpdateControl<TrainingJob> control = Json.sameJson(previous, next) ? UpdateControl.noUpdate() : patched(trial, context, previous, next);
    // While it trains, come back for its progress even when nothing in the cluster changes; while
    // it waits, come back for what no watch tells: its Secret, its Job's Events, its deadline.
    // Once finished, come back to hand the trial over (TrialRetirement): its own status write
    // brings no event, and its Job's only when the Job's time to live ends.
    Optional<Duration> again = running
        ? Optional.of(observed.storedResult().unreadable().isPresent() ? StoredResult.RETRY
            : TrialProgressReader.refreshAfter(next.getProgress()))
        : TrialRetirement.comeBack(previous, next, configMap) ? Optional.of(TrialRetirement.AFTER_FINISHING)
        : recheckAfter(trial, next, observed, now);
    return again.map(control::rescheduleAfter).orElse(control);
  }

  /** When to look again at a pending trial that nothing it watches may wake up. */
  private static Optional<Duration> recheckAfter(TrainingJob trial, TrainingJobStatus next, TrainingJobStatusAggregator.Observed observed, Instant now) {
    if (next.getPhase() != TrialPhase.Pending) {
      return Optional.empty();
    }
    Optional<Duration> deadline = StartDeadline.remaining(trial, observed.job(), now).map(d -> d.plusSeconds(1));
    boolean unwatched = observed.missingSecret().isPresent() || JobFailedCreate.worthLooking(observed.job(), observed.pods(), now)
        || (observed.job().isPresent() && observed.pods().isEmpty() && !JobStates.isSuspended(observed.job().get()));
    if (!unwatched) {
      return deadline;
    }
    Instant created = Instant.parse(trial.getMetadata().getCreationTimestamp());
    Duration recheck = Recheck.after(Duration.between(created, now));
    return Optional.of(deadline.filter(d -> d.compareTo(recheck) < 0).orElse(recheck));
  }

  private static Optional<String> missingSecret(Context<TrainingJob> context) {
    return context.managedWorkflowAndDependentResourceContext().getWorkflowReconcileResult()
        .flatMap(r -> r.getDependentConditionResult(JOB, Condition.Type.RECONCILE, TrialRunnableCondition.SecretMissing.class))
        .map(TrialRunnableCondition.SecretMissing::name);
  }

  private UpdateControl<TrainingJob> patched(
      TrainingJob trial, Context<TrainingJob> context, TrainingJobStatus previous, TrainingJobStatus next) {
    events.recordChanges(context.getClient(), trial, previous, next);
    // JOSDK hands the reconciler a copy of the cached primary, so it can carry the new status.
    trial.setStatus(next);
    return UpdateControl.patchStatus(trial);
  }

  /**
   * A reconciliation that threw shows as {@code ReconcileError} in the status, written from the
   * stored status (not whatever the failed pass computed); JOSDK still retries with backoff.
   */
  @Override
  public ErrorStatusUpdateControl<TrainingJob> updateErrorStatus(TrainingJob trial, Context<TrainingJob> context, Exception e) {
    TrainingJob stored = context.getPrimaryCache().get(ResourceID.fromResource(trial)).orElse(trial);
    TrainingJobStatus status = stored.getStatus() == null ? new TrainingJobStatus() : Json.copy(stored.getStatus(), TrainingJobStatus.class);
    return ReconcileErrors.withError(status.getConditions(), e, trial.getMetadata().getGeneration(), Instant.now())
        .map(conditions -> {
          status.setConditions(conditions);
          trial.setStatus(status);
          return ErrorStatusUpdateControl.patchStatus(trial);
        })
        .orElseGet(ErrorStatusUpdateControl::noStatusUpdate);
  }
}
