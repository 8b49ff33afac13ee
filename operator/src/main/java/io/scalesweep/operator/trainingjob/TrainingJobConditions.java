package io.scalesweep.operator.trainingjob;

import io.fabric8.kubernetes.api.model.Condition;
import io.scalesweep.api.v1alpha1.TrainingJobStatus;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.operator.common.Conditions;
import java.util.Set;

/**
 * Condition types and reasons of a TrainingJob's status. Exactly one of Ready, Running and
 * Failed is True once the trial has started; all are False while it waits.
 */
public final class TrainingJobConditions {

  /** True once the trial succeeded and its result is in status. */
  public static final String READY = "Ready";
  /** True while a pod of the trial trains (also between retries). */
  public static final String RUNNING = "Running";
  /** True once the trial failed for good. */
  public static final String FAILED = "Failed";

  /** No Job yet (or none again after a suspension, while the previous pod stops). */
  public static final String REASON_CREATING = "CreatingJob";
  /** The Job exists; its pod is not running yet (scheduling, image pull, Kueue admission). */
  public static final String REASON_WAITING_FOR_POD = "WaitingForPod";
  public static final String REASON_TRAINING = "Training";
  public static final String REASON_SUCCEEDED = "Succeeded";
  /** Succeeded, but the pod left no readable result in its termination message. */
  public static final String REASON_RESULT_MISSING = "ResultMissing";
  /**
   * The Job completed and its pod is gone, and storage did not answer for the result the trainer
   * stored (an outage): the trial stays Running and the result is read again.
   */
  public static final String REASON_RESULT_UNREADABLE = "ResultUnreadable";
  public static final String REASON_FINISHED = "Finished";
  public static final String REASON_NO_FAILURE = "NoFailure";
  /** Every attempt failed: one plus maxRetries. */
  public static final String REASON_RETRIES_EXHAUSTED = "RetriesExhausted";
  /** The trainer exited with TrainerContract.EXIT_INVALID_TRIAL: retrying cannot help. */
  public static final String REASON_INVALID_TRIAL = "InvalidTrial";
  /** The spec cannot run in a cluster; no Job was created. */
  public static final String REASON_INVALID_SPEC = "InvalidSpec";
  /** The Job failed for another reason (deadline, a policy of the cluster). */
  public static final String REASON_JOB_FAILED = "JobFailed";
  /** The storage Secret the trial names does not exist; no Job is created until it does. */
  public static final String REASON_SECRET_NOT_FOUND = "SecretNotFound";
  /** The Job controller cannot create the pod (a ResourceQuota or admission refused it). */
  public static final String REASON_FAILED_CREATE = "FailedCreate";
  /** A queue (Kueue) holds the Job suspended before it ever ran. */
  public static final String REASON_QUEUED = "Queued";
  /**
   * A queue (Kueue) suspended the Job after it ran: preempted, it waits to be admitted again. Also
   * the reason of a trial suspended by its own {@code spec.suspend} (its sweep's suspendPolicy
   * StopRunning): its Job is deleted, and it resumes from its checkpoint when that is false again.
   */
  public static final String REASON_SUSPENDED = "Suspended";
  /**
   * The trial did not start within spec.startDeadlineSeconds and its Job was deleted. The cluster
   * failed, not the model: it does not count toward the sweep's failure budget.
   */
  public static final String REASON_START_DEADLINE_EXCEEDED = "StartDeadlineExceeded";

  /** Failure reasons that say nothing about the model, so the sweep's failure budget ignores them. */
  public static final Set<String> NOT_MODEL_FAILURES = Set.of(REASON_START_DEADLINE_EXCEEDED);

  private TrainingJobConditions() {}

  /**
   * Pending reasons that do not pass by themselves: the kubelet's for a missing Secret or
   * ConfigMap key, an image that cannot be pulled or does not exist, a container that cannot be
   * created, and the scheduler's for a pod no node fits. The trial holds its sweep's slot until
   * someone acts.
   */
  public static final Set<String> STUCK_REASONS = Set.of(
      "CreateContainerConfigError", "CreateContainerError", "ImagePullBackOff", "ErrImagePull",
      "InvalidImageName", "ErrImageNeverPull", "Unschedulable", REASON_SECRET_NOT_FOUND, REASON_FAILED_CREATE);

  /**
   * Whether a trial failed in a way that counts against the sweep's {@code maxFailedTrials}: it
   * failed, and not for a reason the cluster is to blame for.
   */
  public static boolean isModelFailure(TrainingJobStatus status) {
    if (status == null || status.getPhase() != TrialPhase.Failed) {
      return false;
    }
    Condition failed = Conditions.find(status.getConditions(), FAILED);
    return failed == null || !NOT_MODEL_FAILURES.contains(failed.getReason());
  }
}
