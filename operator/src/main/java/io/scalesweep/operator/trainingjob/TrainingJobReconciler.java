package io.scalesweep.operator.trainingjob;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobStatus;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.operator.common.Json;
import io.scalesweep.operator.common.Labels;
import io.scalesweep.operator.config.AdmissionPolicy;
import io.scalesweep.operator.config.TrainerSettings;
import io.scalesweep.operator.metrics.SweepMetrics;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Runs one trial: the trial ConfigMap and the Job are dependents; this class only turns the Job
 * and its pods into the TrainingJob's status (with the live progress the trainer reports in
 * storage), records Events and counts GPU time.
 */
@Workflow(
    dependents = {
      @Dependent(name = TrainingJobReconciler.CONFIG_MAP, type = TrialConfigMapDependentResource.class),
      @Dependent(
          name = TrainingJobReconciler.JOB,
          type = TrialJobDependentResource.class,
          dependsOn = TrainingJobReconciler.CONFIG_MAP,
          reconcilePrecondition = TrialRunnableCondition.class)
    })
@ControllerConfiguration(name = TrainingJobReconciler.NAME)
public class TrainingJobReconciler implements Reconciler<TrainingJob> {

  public static final String NAME = "trainingjob";
  static final String CONFIG_MAP = "trial-config";
  static final String JOB = "trial-job";

  private final SweepMetrics metrics;
  private final AdmissionPolicy policy;
  private final TrialEvents events;
  private final TrialProgressReader progress = new TrialProgressReader();

  public TrainingJobReconciler(SweepMetrics metrics, TrainerSettings settings) {
    this.metrics = metrics;
    this.policy = settings.policy();
    this.events = new TrialEvents();
  }

  @Override
  public List<EventSource<?, TrainingJob>> prepareEventSources(EventSourceContext<TrainingJob> context) {
    // Pods belong to the Job, not to the TrainingJob: they find their trial through annotations
    // the pod template carries, and only trainer pods are cached.
    var pods = InformerEventSourceConfiguration.from(Pod.class, TrainingJob.class)
        .withName("trainer-pods")
        .withLabelSelector(Labels.TRAINER_SELECTOR)
        .withSecondaryToPrimaryMapper(TrainingJobReconciler::trialOf)
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
    var observed = new TrainingJobStatusAggregator.Observed(
        TrialValidation.problem(trial, policy),
        context.getSecondaryResource(Job.class),
        context.getSecondaryResources(Pod.class));
    Instant now = Instant.now();
    TrainingJobStatus next = TrainingJobStatusAggregator.aggregate(trial, observed, now);
    TrainingJobStatus previous = trial.getStatus() == null ? new TrainingJobStatus() : trial.getStatus();
    boolean running = next.getPhase() == TrialPhase.Running;
    boolean justFinished = next.getPhase() != null && next.getPhase().isFinished() && previous.getPhase() != next.getPhase();
    next.setProgress(progress.current(context.getClient(), trial, previous.getProgress(), running, justFinished, now));
    UpdateControl<TrainingJob> control = Json.sameJson(previous, next) ? UpdateControl.noUpdate() : patched(trial, context, previous, next, justFinished);
    // While it trains, come back for its progress even when nothing in the cluster changes.
    return running ? control.rescheduleAfter(TrialProgressReader.refreshAfter(next.getProgress())) : control;
  }

  private UpdateControl<TrainingJob> patched(
      TrainingJob trial, Context<TrainingJob> context, TrainingJobStatus previous, TrainingJobStatus next, boolean justFinished) {
    events.recordChanges(context.getClient(), trial, previous, next);
    if (justFinished) {
      countGpuTime(trial, next);
    }
    // JOSDK hands the reconciler a copy of the cached primary, so it can carry the new status.
    trial.setStatus(next);
    return UpdateControl.patchStatus(trial);
  }

  private void countGpuTime(TrainingJob trial, TrainingJobStatus status) {
    if (status.getStartTime() == null || status.getCompletionTime() == null) {
      return;
    }
    double seconds = java.time.Duration.between(
            Instant.parse(status.getStartTime()), Instant.parse(status.getCompletionTime()))
        .toMillis() / 1000.0;
    int gpus = TrialPodTemplate.resources(trial).getGpus();
    metrics.trialFinished(trial.getMetadata().getNamespace(), trial.getSpec().getSweep(), gpus, seconds);
  }
}
