package io.scalesweep.operator.trainingjob;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.Optional;

/** What the operator reads from a trial's Job besides its outcome: whether a queue holds it. */
final class JobStates {

  private JobStates() {}

  /**
   * Kueue (or anyone) suspended the Job: {@code spec.suspend} is true, or the Job controller still
   * reports {@code Suspended=True} while it removes the pods. A suspended Job has no pods running.
   */
  static boolean isSuspended(Job job) {
    boolean spec = job.getSpec() != null && Boolean.TRUE.equals(job.getSpec().getSuspend());
    return spec || condition(job, "Suspended").isPresent();
  }

  /** When the Job controller reported the suspension, if it did. */
  static Optional<String> suspendedSince(Job job) {
    return condition(job, "Suspended").map(JobCondition::getLastTransitionTime);
  }

  static Optional<JobCondition> condition(Job job, String type) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }
}
