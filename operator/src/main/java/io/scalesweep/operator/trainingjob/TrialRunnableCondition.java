package io.scalesweep.operator.trainingjob;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.DetailedCondition;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobStatus;
import io.scalesweep.operator.common.SecretPresence;
import io.scalesweep.operator.config.AdmissionPolicy;
import java.time.Instant;
import java.util.Optional;

/**
 * A Job is created only for a valid trial that the cluster's admission policy allows, that has
 * not finished (should someone delete the Job of a finished trial, it must not be trained again)
 * nor passed its start deadline, is not suspended ({@code spec.suspend}), has no pod of an
 * earlier Job still stopping, and whose storage Secret exists: a pod without its Secret would
 * only wait in CreateContainerConfigError, holding a GPU. The Secret is looked up only while the
 * Job does not exist yet; the reconciler reads the missing name from this condition's result.
 */
public class TrialRunnableCondition implements DetailedCondition<Job, TrainingJob, TrialRunnableCondition.SecretMissing> {

  /** The Secret {@code spec.storage.secretRef} names does not exist in the trial's namespace. */
  public record SecretMissing(String name) {}

  @Override
  public Result<SecretMissing> detailedIsMet(DependentResource<Job, TrainingJob> dependent, TrainingJob trial, Context<TrainingJob> context) {
    // JOSDK builds conditions itself; the policy comes with the Job dependent it guards.
    if (!isRunnable(trial, ((TrialJobDependentResource) dependent).settings().policy())) {
      return Result.unmetWithoutResult;
    }
    if (TrialSuspension.isSuspended(trial)) {
      return Result.unmetWithoutResult;
    }
    Optional<Job> job = dependent.getSecondaryResource(trial, context);
    if (job.isPresent()) {
      return Result.metWithoutResult;
    }
    if (TrialSuspension.podStillRunning(context.getSecondaryResources(Pod.class))) {
      // The pod of a Job deleted by a suspension is still stopping: one trainer at a time.
      return Result.unmetWithoutResult;
    }
    if (StartDeadline.exceeded(trial, job, Instant.now())) {
      return Result.unmetWithoutResult;
    }
    Optional<String> secret = secretRef(trial);
    if (secret.isPresent() && !SecretPresence.exists(context.getClient(), trial.getMetadata().getNamespace(), secret.get())) {
      return Result.withResult(false, new SecretMissing(secret.get()));
    }
    return Result.metWithoutResult;
  }

  static boolean isRunnable(TrainingJob trial, AdmissionPolicy policy) {
    return !TrainingJobStatus.finished(trial.getStatus()) && TrialValidation.problem(trial, policy).isEmpty();
  }

  static Optional<String> secretRef(TrainingJob trial) {
    var storage = trial.getSpec().getStorage();
    return storage == null || storage.getSecretRef() == null || storage.getSecretRef().isBlank()
        ? Optional.empty() : Optional.of(storage.getSecretRef());
  }
}
