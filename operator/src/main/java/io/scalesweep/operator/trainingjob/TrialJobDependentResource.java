package io.scalesweep.operator.trainingjob;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnExitCodesRequirementBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnPodConditionsPatternBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRuleBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.scalesweep.api.contract.TrainerContract;
import io.scalesweep.api.v1alpha1.ResourcesSpec;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobSpec;
import io.scalesweep.operator.common.KubeNames;
import io.scalesweep.operator.common.Labels;
import io.scalesweep.operator.common.ManagedFieldsFreeStore;
import io.scalesweep.operator.common.OwnedDependentResource;
import io.scalesweep.operator.common.SpecDefaults;
import io.scalesweep.operator.config.TrainerSettings;
import jakarta.inject.Inject;
import java.util.Set;

/**
 * The batch/v1 Job that runs a trial: one pod, retried by the Job controller.
 *
 * <p>Retries: {@code backoffLimit} is the TrainingJob's {@code maxRetries}, so a trial gets one
 * attempt plus that many retries. The pod failure policy keeps the count honest: a pod with the
 * {@code DisruptionTarget} condition (preemption, eviction, node drain) is ignored, so it neither
 * uses up a retry nor fails the trial, and a new pod is started; exit code {@link
 * TrainerContract#EXIT_INVALID_TRIAL} fails the Job at once, because the same spec would fail
 * again. Every other failure, {@link TrainerContract#EXIT_NO_GPU} included, uses up one retry.
 * The operator reads the outcome from the Job's conditions and its {@code status.failed} count.
 *
 * <p>Only created, never updated: a Job's pod template is immutable, and a running trial must
 * not change under the trainer's feet. It is garbage-collected with its TrainingJob, and deleted
 * while its TrainingJob is suspended ({@link TrialSuspension}); the Job created after that gets only
 * the retries the trial has left ({@link TrialRetries}).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.TRAINER_SELECTOR, itemStore = ManagedFieldsFreeStore.class))
public class TrialJobDependentResource extends OwnedDependentResource<Job, TrainingJob> {

  /** How long a finished trial's Job and pod stay for {@code kubectl logs}. */
  static final int FINISHED_JOB_TTL_SECONDS = 3600;

  private static final int DEFAULT_MAX_RETRIES =
      SpecDefaults.declaredDefault(TrainingJobSpec.class, "maxRetries", Integer.class);

  /** Injected by CDI in the operator; given to the constructor in tests. */
  @Inject TrainerSettings settings;

  /** For CDI, and for QOSDK's build step that instantiates dependents to learn their type. */
  public TrialJobDependentResource() {
    super(Job.class, TrainingJob.class);
  }

  public TrialJobDependentResource(TrainerSettings settings) {
    this();
    this.settings = settings;
  }

  TrainerSettings settings() {
    return settings;
  }

  /** The Job's name: the TrainingJob's, shortened to fit the label the Job controller adds. */
  public static String jobName(TrainingJob trial) {
    return KubeNames.bounded(trial.getMetadata().getName(), "", KubeNames.LABEL_VALUE_MAX);
  }

  /**
   * The Job built from the spec, with the retries an earlier Job of the trial used (it was
   * deleted by a suspension) carried over: see {@link TrialRetries}.
   */
  @Override
  protected Job desired(TrainingJob trial, Context<TrainingJob> context) {
    return TrialRetries.carriedOver(desired(trial), trial);
  }

  /** A pure function of the TrainingJob and the operator's settings. */
  Job desired(TrainingJob trial) {
    ResourcesSpec resources = TrialPodTemplate.resources(trial);
    Integer maxRetries = trial.getSpec().getMaxRetries();
    return new JobBuilder()
        .withNewMetadata()
        .withName(jobName(trial))
        .withNamespace(trial.getMetadata().getNamespace())
        .withLabels(TrialLabels.job(trial, resources))
        .endMetadata()
        .withNewSpec()
        .withParallelism(1)
        .withCompletions(1)
        .withBackoffLimit(maxRetries == null ? DEFAULT_MAX_RETRIES : maxRetries)
        .withPodFailurePolicy(podFailurePolicy())
        // One pod at a time: a replacement starts only once the old pod is fully gone, so a
        // trial never holds two sets of GPUs or writes checkpoints from two pods.
        .withPodReplacementPolicy("Failed")
        // The TrainingJob keeps the outcome; the finished Job and its pod (for their logs) go an
        // hour later, so the operator's caches do not grow with every trial a sweep has finished.
        .withTtlSecondsAfterFinished(FINISHED_JOB_TTL_SECONDS)
        .withTemplate(TrialPodTemplate.build(trial, settings, TrialLabels.pod(trial)))
        .endSpec()
        .build();
  }

  static PodFailurePolicy podFailurePolicy() {
    return new PodFailurePolicyBuilder()
        // First match wins: a disrupted pod is ignored whatever its exit code (SIGTERM gives 143).
        .withRules(
            new PodFailurePolicyRuleBuilder()
                .withAction("Ignore")
                .withOnPodConditions(
                    new PodFailurePolicyOnPodConditionsPatternBuilder()
                        .withType("DisruptionTarget")
                        .withStatus("True")
                        .build())
                .build(),
            new PodFailurePolicyRuleBuilder()
                .withAction("FailJob")
                .withOnExitCodes(
                    new PodFailurePolicyOnExitCodesRequirementBuilder()
                        .withContainerName(TrialPodTemplate.CONTAINER)
                        .withOperator("In")
                        .withValues(TrainerContract.EXIT_INVALID_TRIAL)
                        .build())
                .build())
        .build();
  }
}
