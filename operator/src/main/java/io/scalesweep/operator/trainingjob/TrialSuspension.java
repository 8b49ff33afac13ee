package io.scalesweep.operator.trainingjob;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalesweep.api.v1alpha1.TrainingJob;
import java.util.Collection;
import java.util.Optional;

/**
 * A TrainingJob's {@code spec.suspend}: while it holds, the trial has no Job. Its running Job is
 * deleted (background propagation: the Job goes at once, garbage collection then deletes its pod
 * and the trainer gets SIGTERM), none is created, and once it is false again a new Job starts
 * and the trainer resumes from its newest complete checkpoint. Deleting the Job, not suspending
 * it, leaves a Job's {@code spec.suspend} to Kueue alone (the operator never writes a Job after
 * creating it), and a re-created Job goes through the queue's admission again.
 */
public final class TrialSuspension {

  private TrialSuspension() {}

  public static boolean isSuspended(TrainingJob trial) {
    return trial.getSpec() != null && Boolean.TRUE.equals(trial.getSpec().getSuspend());
  }

  /**
   * Whether the trial's Job is to be deleted now: the trial is suspended and its Job neither
   * finished (its outcome is the trial's) nor already being deleted.
   */
  static boolean jobToStop(TrainingJob trial, Optional<Job> job) {
    return isSuspended(trial) && job.isPresent() && !isFinished(job.get())
        && job.get().getMetadata().getDeletionTimestamp() == null;
  }

  /** Deletes the suspended trial's Job when {@link #jobToStop} says so; true when it did. */
  static boolean stopJob(KubernetesClient client, TrainingJob trial, Optional<Job> job) {
    if (!jobToStop(trial, job)) {
      return false;
    }
    client.resource(job.get()).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    return true;
  }

  /**
   * Whether a pod of the trial has not terminated yet. No new Job is created while one has not:
   * after a suspension the old pod may still be stopping (SIGTERM, its grace period, garbage
   * collection), and a trial never runs two trainers that write the same checkpoints.
   */
  static boolean podStillRunning(Collection<Pod> pods) {
    return pods.stream().anyMatch(p -> {
      String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
      return !"Succeeded".equals(phase) && !"Failed".equals(phase);
    });
  }

  static boolean isFinished(Job job) {
    return TrainingJobStatusAggregator.jobCondition(job, "Complete").isPresent()
        || TrainingJobStatusAggregator.jobCondition(job, "Failed").isPresent();
  }
}
