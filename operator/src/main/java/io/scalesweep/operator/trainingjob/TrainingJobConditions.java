package io.scalesweep.operator.trainingjob;

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

  /** No Job yet. */
  public static final String REASON_CREATING = "CreatingJob";
  /** The Job exists; its pod is not running yet (scheduling, image pull, Kueue admission). */
  public static final String REASON_WAITING_FOR_POD = "WaitingForPod";
  public static final String REASON_TRAINING = "Training";
  public static final String REASON_SUCCEEDED = "Succeeded";
  /** Succeeded, but the pod left no readable result in its termination message. */
  public static final String REASON_RESULT_MISSING = "ResultMissing";
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

  private TrainingJobConditions() {}

  /**
   * Pending reasons that do not pass by themselves: the kubelet's for a missing Secret or
   * ConfigMap key, an image that cannot be pulled or does not exist, a container that cannot be
   * created, and the scheduler's for a pod no node fits. The trial holds its sweep's slot until
   * someone acts.
   */
  public static final Set<String> STUCK_REASONS = Set.of(
      "CreateContainerConfigError", "CreateContainerError", "ImagePullBackOff", "ErrImagePull",
      "InvalidImageName", "ErrImageNeverPull", "Unschedulable");
}
