package io.scalesweep.operator.trainingjob;

import static io.scalesweep.operator.trainingjob.TrainingJobConditions.*;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobStatus;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.api.v1alpha1.TrialResult;
import io.scalesweep.operator.common.Conditions;
import io.scalesweep.operator.common.Conditions.Wanted;
import io.scalesweep.operator.common.InvalidSpecs;
import io.scalesweep.operator.common.Json;
import io.scalesweep.operator.common.ReconcileErrors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Computes a TrainingJob's status from its Job and pods: a pure function, so every rule about
 * phases, retries and disruptions is tested without a cluster.
 */
public final class TrainingJobStatusAggregator {

  /** How many disrupted pod names the status remembers (the schema's maxItems). */
  static final int DISRUPTED_PODS_KEPT = 20;

  private TrainingJobStatusAggregator() {}

  /**
   * What the reconciler observed for one trial.
   *
   * @param missingSecret the storage Secret that does not exist, while no Job was created for it
   * @param failedCreate why the Job controller cannot create the Job's pod, if it said so
   * @param storedResult the trial's {@code result.json}, read only when {@link #wantsStoredResult} said so
   */
  public record Observed(Optional<InvalidSpecException> invalid, Optional<Job> job, Collection<Pod> pods,
      Optional<String> missingSecret, Optional<TrialPods.Waiting> failedCreate, StoredResult storedResult) {

    public Observed(Optional<InvalidSpecException> invalid, Optional<Job> job, Collection<Pod> pods) {
      this(invalid, job, pods, Optional.empty(), Optional.empty(), StoredResult.NONE);
    }
  }

  /**
   * Whether the trial is about to succeed with no pod left to tell its result (the pod was deleted
   * before it was read), so that the result the trainer also stored is worth one storage read.
   */
  public static boolean wantsStoredResult(TrainingJob trial, Optional<Job> job, Collection<Pod> pods) {
    return !TrainingJobStatus.finished(trial.getStatus()) && trial.getSpec().getStorage() != null
        && job.isPresent() && jobCondition(job.get(), "Complete").isPresent()
        && TrialPods.result(pods).isEmpty() && !TrialPods.resultStillComing(pods);
  }

  public static TrainingJobStatus aggregate(TrainingJob trial, Observed observed, Instant now) {
    TrainingJobStatus previous = trial.getStatus() == null ? new TrainingJobStatus() : trial.getStatus();
    TrainingJobStatus next = Json.copy(previous, TrainingJobStatus.class);
    next.setObservedGeneration(trial.getMetadata().getGeneration());
    if (TrainingJobStatus.finished(previous)) {
      // Terminal: the Job and pods may be gone by now, and nothing they say can change the outcome.
      next.setConditions(ReconcileErrors.without(next.getConditions()));
      return next;
    }
    countDisruptions(previous, next, observed.pods());
    Optional<Job> job = observed.job();
    job.ifPresent(j -> next.setJobName(j.getMetadata().getName()));
    int failedPods = job.map(Job::getStatus).map(JobStatus::getFailed).orElse(0);
    // Retries an earlier Job of the trial used (deleted by a suspension) count too.
    next.setRetries(TrialRetries.current(trial, job, failedPods));
    if (next.getStartTime() == null) {
      TrialPods.firstStart(observed.pods()).ifPresent(next::setStartTime);
    }
    // Suspended by its own spec.suspend (its Job is deleted) or by a queue (Kueue suspends the Job).
    boolean userSuspended = TrialSuspension.isSuspended(trial);
    boolean suspended = userSuspended || job.map(JobStates::isSuspended).orElse(false);
    next.setGpuTime(GpuTimeAccounting.next(previous.getGpuTime(), observed.pods(), TrialPodTemplate.resources(trial).getGpus(),
        suspended, job.flatMap(JobStates::suspendedSince).map(Instant::parse), now));

    if (observed.invalid().isPresent()) {
      InvalidSpecException e = observed.invalid().get();
      fail(next, REASON_INVALID_SPEC, InvalidSpecs.describe(e), now, trial);
    } else if (job.isPresent() && jobCondition(job.get(), "Complete").isPresent() && !TrialPods.resultStillComing(observed.pods())) {
      if (TrialPods.result(observed.pods()).isEmpty() && observed.storedResult().unreadable().isPresent()) {
        // storage did not answer: not a verdict, the trial waits and its result is read again
        resultUnreadable(next, trial, observed.storedResult().unreadable().get(), now);
      } else {
        succeed(next, trial, job.get(), observed, now);
      }
    } else if (job.isPresent() && jobCondition(job.get(), "Failed").isPresent()) {
      JobCondition failed = jobCondition(job.get(), "Failed").get();
      // The last failure was not retried: retries count the attempts after the first.
      next.setRetries(TrialRetries.current(trial, job, Math.max(0, failedPods - 1)));
      next.setCompletionTime(orNow(failed.getLastTransitionTime(), now));
      fail(next, failureReason(failed), failed.getMessage(), now, trial);
    } else if (userSuspended) {
      boolean stopping = job.isPresent() || TrialSuspension.podStillRunning(observed.pods());
      String message = "spec.suspend is true: " + (stopping ? "its Job is deleted and its pod stopped" : "no Job runs")
          + (next.getStartTime() == null ? "; it starts when spec.suspend is false"
              : "; it resumes from its last checkpoint when spec.suspend is false");
      phase(next, TrialPhase.Pending, trial, now,
          Wanted.of(READY, false, REASON_SUSPENDED, message),
          Wanted.of(RUNNING, false, REASON_SUSPENDED, message),
          Wanted.of(FAILED, false, REASON_NO_FAILURE, ""));
    } else if (suspended) {
      // A queue (Kueue) holds the Job: its pods are gone or going, and it waits for quota again.
      String reason = next.getStartTime() == null ? REASON_QUEUED : REASON_SUSPENDED;
      String message = next.getStartTime() == null
          ? "the Job waits in its queue to be admitted (spec.suspend is true)"
          : "the Job was suspended (preempted by its queue); it resumes from its last checkpoint when admitted again";
      phase(next, TrialPhase.Pending, trial, now,
          Wanted.of(READY, false, reason, message),
          Wanted.of(RUNNING, false, reason, message),
          Wanted.of(FAILED, false, REASON_NO_FAILURE, ""));
    } else if (next.getStartTime() != null && job.isPresent()) {
      phase(next, TrialPhase.Running, trial, now,
          Wanted.of(READY, false, REASON_TRAINING, "training"),
          Wanted.of(RUNNING, true, REASON_TRAINING, runningMessage(next)),
          Wanted.of(FAILED, false, REASON_NO_FAILURE, ""));
    } else {
      // A pending trial says what it waits for: the kubelet's reason (a missing Secret, an image
      // that cannot be pulled) or the scheduler's, so a stuck trial is visible where users look.
      Optional<TrialPods.Waiting> waiting = job.isEmpty()
          ? observed.missingSecret().map(TrainingJobStatusAggregator::secretMissing).or(() -> previousPodStopping(observed.pods()))
          : TrialPods.waiting(observed.pods()).or(observed::failedCreate);
      String reason = waiting.map(TrialPods.Waiting::reason)
          .orElse(job.isPresent() ? REASON_WAITING_FOR_POD : REASON_CREATING);
      String message = waiting.map(TrialPods.Waiting::message).orElse("");
      if (StartDeadline.exceeded(trial, job, now)) {
        fail(next, REASON_START_DEADLINE_EXCEEDED, "did not start within spec.startDeadlineSeconds ("
            + trial.getSpec().getStartDeadlineSeconds() + "s)" + (message.isEmpty() ? "" : ": " + message)
            + (job.isPresent() ? "; its Job is deleted" : ""), now, trial);
        return next;
      }
      phase(next, TrialPhase.Pending, trial, now,
          Wanted.of(READY, false, reason, message),
          Wanted.of(RUNNING, false, reason, message),
          Wanted.of(FAILED, false, REASON_NO_FAILURE, ""));
    }
    return next;
  }

  /** After a suspension, the new Job waits for the old pod to stop. */
  private static Optional<TrialPods.Waiting> previousPodStopping(Collection<Pod> pods) {
    return TrialSuspension.podStillRunning(pods)
        ? Optional.of(new TrialPods.Waiting(REASON_CREATING, "the pod of its previous Job is still stopping; a new Job is created once it has"))
        : Optional.empty();
  }

  private static TrialPods.Waiting secretMissing(String name) {
    return new TrialPods.Waiting(REASON_SECRET_NOT_FOUND, "Secret " + name
        + " (spec.storage.secretRef) not found; the trial launches once it exists");
  }

  private static void succeed(TrainingJobStatus next, TrainingJob trial, Job job, Observed observed, Instant now) {
    Optional<TrialResult> fromPod = TrialPods.result(observed.pods());
    Optional<TrialResult> result = fromPod.or(() -> observed.storedResult().result());
    result.ifPresent(next::setResult);
    next.setCompletionTime(orNow(job.getStatus().getCompletionTime(), now));
    if (next.getStartTime() == null) {
      next.setStartTime(orNow(job.getStatus().getStartTime(), now));
    }
    if (trial.getSpec().getStorage() != null) {
      next.setResultUri(TrialPodTemplate.resultUri(trial));
    }
    String reason = result.isPresent() ? REASON_SUCCEEDED : REASON_RESULT_MISSING;
    String message = fromPod.isPresent() ? "trained and evaluated"
        : result.isPresent() ? "trained and evaluated; the result was read from " + next.getResultUri() + " (its pod was gone)"
        : "the pod succeeded without a result in its termination message; see " + next.getResultUri();
    phase(next, TrialPhase.Succeeded, trial, now,
        Wanted.of(READY, true, reason, message),
        Wanted.of(RUNNING, false, REASON_FINISHED, ""),
        Wanted.of(FAILED, false, REASON_NO_FAILURE, ""));
  }

  private static void resultUnreadable(TrainingJobStatus next, TrainingJob trial, String why, Instant now) {
    String message = "its Job completed and its pod is gone; the result it stored at " + TrialPodTemplate.resultUri(trial)
        + " could not be read (" + why + "); reading it again every " + StoredResult.RETRY.toSeconds()
        + "s: check that the storage endpoint is up and that spec.storage.secretRef's credentials can read it";
    phase(next, TrialPhase.Running, trial, now,
        Wanted.of(READY, false, REASON_RESULT_UNREADABLE, message),
        Wanted.of(RUNNING, true, REASON_RESULT_UNREADABLE, message),
        Wanted.of(FAILED, false, REASON_NO_FAILURE, ""));
  }

  private static void fail(TrainingJobStatus next, String reason, String message, Instant now, TrainingJob trial) {
    if (next.getCompletionTime() == null) {
      next.setCompletionTime(Conditions.timestamp(now));
    }
    phase(next, TrialPhase.Failed, trial, now,
        Wanted.of(READY, false, reason, message),
        Wanted.of(RUNNING, false, REASON_FINISHED, ""),
        Wanted.of(FAILED, true, reason, message));
  }

  private static void phase(TrainingJobStatus next, TrialPhase phase, TrainingJob trial, Instant now, Wanted... conditions) {
    next.setPhase(phase);
    next.setConditions(Conditions.merge(next.getConditions(), List.of(conditions), trial.getMetadata().getGeneration(), now));
  }

  /**
   * Counts each disrupted pod once. Disrupted pods are usually deleted soon after (preemption,
   * eviction), so the count cannot be recomputed from the pods present: it accumulates, and the
   * names already counted are remembered.
   */
  private static void countDisruptions(TrainingJobStatus previous, TrainingJobStatus next, Collection<Pod> pods) {
    List<String> counted = new ArrayList<>(previous.getDisruptedPods() == null ? List.of() : previous.getDisruptedPods());
    int disruptions = previous.getDisruptions() == null ? 0 : previous.getDisruptions();
    for (Pod pod : pods) {
      String name = pod.getMetadata().getName();
      if (TrialPods.isDisrupted(pod) && !counted.contains(name)) {
        counted.add(name);
        disruptions++;
      }
    }
    while (counted.size() > DISRUPTED_PODS_KEPT) {
      counted.remove(0);
    }
    next.setDisruptions(disruptions);
    next.setDisruptedPods(counted.isEmpty() ? null : counted);
  }

  private static String failureReason(JobCondition failed) {
    String reason = failed.getReason() == null ? "" : failed.getReason();
    return switch (reason) {
      case "BackoffLimitExceeded" -> REASON_RETRIES_EXHAUSTED;
      // The only FailJob rule is the trainer's invalid-trial exit code.
      case "PodFailurePolicy" -> REASON_INVALID_TRIAL;
      default -> REASON_JOB_FAILED;
    };
  }

  private static String runningMessage(TrainingJobStatus s) {
    return "retries " + s.getRetries() + ", disruptions " + s.getDisruptions();
  }

  static Optional<JobCondition> jobCondition(Job job, String type) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }

  private static String orNow(String time, Instant now) {
    return time != null ? time : Conditions.timestamp(now);
  }
}
