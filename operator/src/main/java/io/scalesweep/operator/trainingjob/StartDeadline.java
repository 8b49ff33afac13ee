package io.scalesweep.operator.trainingjob;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.operator.common.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The optional {@code spec.startDeadlineSeconds}: how long a trial may try to start before it is
 * failed and its pod removed. The clock runs from the trial's creation while it has no Job (its
 * Secret is missing), then from the Job's {@code status.startTime}, which the Job controller sets
 * when it starts working on the Job and resets on every resume: time a queue such as Kueue holds
 * the Job suspended is not counted, since waiting for quota is not being stuck. Nor does a trial
 * suspended by its own {@code spec.suspend} wait for a deadline: the clock stops while it is
 * suspended and starts again with the start of the Job created after it.
 */
final class StartDeadline {

  private StartDeadline() {}

  /** When the trial must have started by; empty without a deadline, once started, or while its Job is suspended. */
  static Optional<Instant> of(TrainingJob trial, Optional<Job> job) {
    Integer seconds = trial.getSpec().getStartDeadlineSeconds();
    boolean started = trial.getStatus() != null && trial.getStatus().getStartTime() != null;
    if (seconds == null || started || TrialSuspension.isSuspended(trial)) {
      return Optional.empty();
    }
    Optional<String> since;
    if (job.isEmpty() && hadJob(trial)) {
      // Its Job was deleted by a suspension: the clock starts again with the next Job's start.
      since = Optional.empty();
    } else if (job.isEmpty()) {
      since = Optional.ofNullable(trial.getMetadata().getCreationTimestamp());
    } else if (JobStates.isSuspended(job.get()) || job.get().getStatus() == null) {
      since = Optional.empty();
    } else {
      since = Optional.ofNullable(job.get().getStatus().getStartTime());
    }
    return since.map(t -> Instant.parse(t).plusSeconds(seconds));
  }

  /**
   * Whether the trial had a Job before, or was suspended: a trial without a Job that had one lost
   * it to a suspension (a finished trial's Job does not matter any more).
   */
  private static boolean hadJob(TrainingJob trial) {
    var status = trial.getStatus();
    if (status == null) {
      return false;
    }
    var running = Conditions.find(status.getConditions(), TrainingJobConditions.RUNNING);
    return status.getJobName() != null
        || (running != null && TrainingJobConditions.REASON_SUSPENDED.equals(running.getReason()));
  }

  static boolean exceeded(TrainingJob trial, Optional<Job> job, Instant now) {
    return of(trial, job).map(deadline -> !now.isBefore(deadline)).orElse(false);
  }

  /** How long until the deadline, for a reschedule; empty when there is none. */
  static Optional<Duration> remaining(TrainingJob trial, Optional<Job> job, Instant now) {
    return of(trial, job).map(deadline -> Duration.between(now, deadline)).map(d -> d.isNegative() ? Duration.ZERO : d);
  }
}
