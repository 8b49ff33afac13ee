package io.scalesweep.operator.trainingjob;

import static io.scalesweep.operator.trainingjob.TrainingJobConditions.*;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobStatus;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.api.v1alpha1.TrialResult;
import io.scalesweep.operator.common.Conditions;
import io.scalesweep.operator.common.Conditions.Wanted;
import io.scalesweep.operator.common.InvalidSpecs;
import io.scalesweep.operator.common.Json;
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

  /** What the reconciler observed for one trial. */
  public record Observed(Optional<InvalidSpecException> invalid, Optional<Job> job, Collection<Pod> pods) {}

  public static TrainingJobStatus aggregate(TrainingJob trial, Observed observed, Instant now) {
    TrainingJobStatus previous = trial.getStatus() == null ? new TrainingJobStatus() : trial.getStatus();
    TrainingJobStatus next = Json.copy(previous, TrainingJobStatus.class);
    next.setObservedGeneration(trial.getMetadata().getGeneration());
    if (previous.getPhase() != null && previous.getPhase().isFinished()) {
      // Terminal: the Job and pods may be gone by now, and nothing they say can change the outcome.
      return next;
    }
    countDisruptions(previous, next, observed.pods());
    Optional<Job> job = observed.job();
    job.ifPresent(j -> next.setJobName(j.getMetadata().getName()));
    int failedPods = job.map(Job::getStatus).map(JobStatus::getFailed).orElse(0);
    next.setRetries(failedPods);
    if (next.getStartTime() == null) {
      TrialPods.firstStart(observed.pods()).ifPresent(next::setStartTime);
    }

    if (observed.invalid().isPresent()) {
      InvalidSpecException e = observed.invalid().get();
      fail(next, REASON_INVALID_SPEC, InvalidSpecs.describe(e), now, trial);
    } else if (job.isPresent() && jobCondition(job.get(), "Complete").isPresent()) {
      succeed(next, trial, job.get(), observed.pods(), now);
    } else if (job.isPresent() && jobCondition(job.get(), "Failed").isPresent()) {
      JobCondition failed = jobCondition(job.get(), "Failed").get();
      // The last failure was not retried: retries count the attempts after the first.
      next.setRetries(Math.max(0, failedPods - 1));
      next.setCompletionTime(orNow(failed.getLastTransitionTime(), now));
      fail(next, failureReason(failed), failed.getMessage(), now, trial);
    } else if (next.getStartTime() != null) {
      phase(next, TrialPhase.Running, trial, now,
          Wanted.of(READY, false, REASON_TRAINING, "training"),
          Wanted.of(RUNNING, true, REASON_TRAINING, runningMessage(next)),
          Wanted.of(FAILED, false, REASON_NO_FAILURE, ""));
    } else {
      // A pending trial says what it waits for: the kubelet's reason (a missing Secret, an image
      // that cannot be pulled) or the scheduler's, so a stuck trial is visible where users look.
      Optional<TrialPods.Waiting> waiting = TrialPods.waiting(observed.pods());
      String reason = waiting.map(TrialPods.Waiting::reason)
          .orElse(job.isPresent() ? REASON_WAITING_FOR_POD : REASON_CREATING);
      String message = waiting.map(TrialPods.Waiting::message).orElse("");
      phase(next, TrialPhase.Pending, trial, now,
          Wanted.of(READY, false, reason, message),
          Wanted.of(RUNNING, false, reason, message),
          Wanted.of(FAILED, false, REASON_NO_FAILURE, ""));
    }
    return next;
  }

  private static void succeed(TrainingJobStatus next, TrainingJob trial, Job job, Collection<Pod> pods, Instant now) {
    Optional<TrialResult> result = TrialPods.result(pods);
    result.ifPresent(next::setResult);
    next.setCompletionTime(orNow(job.getStatus().getCompletionTime(), now));
    if (next.getStartTime() == null) {
      next.setStartTime(orNow(job.getStatus().getStartTime(), now));
    }
    if (trial.getSpec().getStorage() != null) {
      next.setResultUri(TrialPodTemplate.outputUri(trial) + StorageLayout.RESULT_FILE);
    }
    String reason = result.isPresent() ? REASON_SUCCEEDED : REASON_RESULT_MISSING;
    String message = result.isPresent()
        ? "trained and evaluated"
        : "the pod succeeded without a result in its termination message; see " + next.getResultUri();
    phase(next, TrialPhase.Succeeded, trial, now,
        Wanted.of(READY, true, reason, message),
        Wanted.of(RUNNING, false, REASON_FINISHED, ""),
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
