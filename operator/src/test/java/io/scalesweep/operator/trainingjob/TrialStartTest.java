package io.scalesweep.operator.trainingjob;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobStatus;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.operator.common.Conditions;
import io.scalesweep.operator.testing.Fixtures;
import io.scalesweep.operator.testing.PodStates;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Why a trial that has not started waits, when it gives up, and what a queue's suspension shows. */
class TrialStartTest {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final String CREATED = "2026-01-01T11:58:00Z";

  private final TrainingJob trial = Fixtures.trainingJob("dn-sm");

  TrialStartTest() {
    trial.getMetadata().setCreationTimestamp(CREATED);
  }

  @Test
  void aMissingSecretIsTheReasonAndNamesTheSecret() {
    TrainingJobStatus s = aggregate(Optional.empty(), List.of(), Optional.of("s3-credentials"), Optional.empty());

    assertThat(s.getPhase()).isEqualTo(TrialPhase.Pending);
    assertThat(ready(s).getReason()).isEqualTo(TrainingJobConditions.REASON_SECRET_NOT_FOUND);
    assertThat(ready(s).getMessage()).contains("s3-credentials", "spec.storage.secretRef");
    assertThat(TrainingJobConditions.STUCK_REASONS).contains(TrainingJobConditions.REASON_SECRET_NOT_FOUND);
  }

  @Test
  void aJobThatCannotCreateItsPodSaysWhy() {
    var refused = new TrialPods.Waiting(TrainingJobConditions.REASON_FAILED_CREATE, "Job dn-sm cannot create its pod: exceeded quota");
    TrainingJobStatus s = aggregate(Optional.of(job("2026-01-01T11:59:00Z")), List.of(), Optional.empty(), Optional.of(refused));

    assertThat(ready(s).getReason()).isEqualTo("FailedCreate");
    assertThat(ready(s).getMessage()).contains("exceeded quota");
  }

  @Test
  void onlyAJobWithoutPodsPastItsGraceIsWorthAnEventLookup() {
    Job fresh = job(null);
    fresh.getMetadata().setCreationTimestamp("2026-01-01T11:59:55Z");
    Job old = job(null);
    old.getMetadata().setCreationTimestamp("2026-01-01T11:59:00Z");
    Pod pod = PodStates.pod("p", Map.of(), PodStates.waiting("ImagePullBackOff", ""));

    assertThat(JobFailedCreate.worthLooking(Optional.of(fresh), List.of(), NOW)).isFalse();
    assertThat(JobFailedCreate.worthLooking(Optional.of(old), List.of(), NOW)).isTrue();
    assertThat(JobFailedCreate.worthLooking(Optional.of(old), List.of(pod), NOW)).isFalse();
    assertThat(JobFailedCreate.worthLooking(Optional.of(suspended(old)), List.of(), NOW)).isFalse();
  }

  @Test
  void withoutADeadlineAStuckTrialWaits() {
    Pod pod = PodStates.pod("p", Map.of(), PodStates.waiting("ImagePullBackOff", "back-off pulling image"));
    TrainingJobStatus s = aggregate(Optional.of(job("2026-01-01T00:00:00Z")), List.of(pod), Optional.empty(), Optional.empty());

    assertThat(s.getPhase()).isEqualTo(TrialPhase.Pending);
    assertThat(ready(s).getReason()).isEqualTo("ImagePullBackOff");
  }

  @Test
  void pastItsDeadlineAStuckTrialFailsWithoutCountingAgainstTheModel() {
    trial.getSpec().setStartDeadlineSeconds(60);
    Pod pod = PodStates.pod("p", Map.of(), PodStates.waiting("ImagePullBackOff", "back-off pulling image"));
    TrainingJobStatus s = aggregate(Optional.of(job("2026-01-01T11:58:30Z")), List.of(pod), Optional.empty(), Optional.empty());

    assertThat(s.getPhase()).isEqualTo(TrialPhase.Failed);
    var failed = Conditions.find(s.getConditions(), TrainingJobConditions.FAILED);
    assertThat(failed.getReason()).isEqualTo(TrainingJobConditions.REASON_START_DEADLINE_EXCEEDED);
    assertThat(failed.getMessage()).contains("60s", "ImagePullBackOff");
    assertThat(TrainingJobConditions.isModelFailure(s)).isFalse();
  }

  @Test
  void theDeadlineCountsFromTheJobsLastStartNotWhileSuspended() {
    trial.getSpec().setStartDeadlineSeconds(60);

    assertThat(StartDeadline.exceeded(trial, Optional.of(job("2026-01-01T11:59:30Z")), NOW)).isFalse();
    assertThat(StartDeadline.exceeded(trial, Optional.of(job("2026-01-01T11:58:00Z")), NOW)).isTrue();
    assertThat(StartDeadline.exceeded(trial, Optional.of(suspended(job(null))), NOW)).isFalse();
    assertThat(StartDeadline.remaining(trial, Optional.of(job("2026-01-01T11:59:30Z")), NOW)).contains(java.time.Duration.ofSeconds(30));
    // Without a Job (its Secret is missing) the clock runs from the trial's creation.
    assertThat(StartDeadline.exceeded(trial, Optional.empty(), NOW)).isTrue();
  }

  @Test
  void aTrialThatStartedOnceHasNoStartDeadline() {
    trial.getSpec().setStartDeadlineSeconds(60);
    trial.setStatus(new TrainingJobStatus());
    trial.getStatus().setStartTime("2026-01-01T11:00:00Z");

    assertThat(StartDeadline.of(trial, Optional.of(job("2026-01-01T11:00:00Z")))).isEmpty();
  }

  @Test
  void aModelFailureCountsAndADeadlineDoesNot() {
    TrainingJobStatus retries = new TrainingJobStatus();
    retries.setPhase(TrialPhase.Failed);
    retries.setConditions(Conditions.merge(null, List.of(Conditions.Wanted.of(
        TrainingJobConditions.FAILED, true, TrainingJobConditions.REASON_RETRIES_EXHAUSTED, "")), 1L, NOW));

    assertThat(TrainingJobConditions.isModelFailure(retries)).isTrue();
    assertThat(TrainingJobConditions.isModelFailure(new TrainingJobStatus())).isFalse();
  }

  @Test
  void aQueuedJobShowsQueuedAndASuspendedOneSuspended() {
    TrainingJobStatus queued = aggregate(Optional.of(suspended(job(null))), List.of(), Optional.empty(), Optional.empty());
    assertThat(queued.getPhase()).isEqualTo(TrialPhase.Pending);
    assertThat(ready(queued).getReason()).isEqualTo(TrainingJobConditions.REASON_QUEUED);

    trial.setStatus(new TrainingJobStatus());
    trial.getStatus().setPhase(TrialPhase.Running);
    trial.getStatus().setStartTime("2026-01-01T11:00:00Z");
    Pod running = PodStates.pod("p", Map.of(), PodStates.running("2026-01-01T11:00:00Z"));
    TrainingJobStatus preempted = aggregate(Optional.of(suspended(job("2026-01-01T11:00:00Z"))), List.of(running), Optional.empty(), Optional.empty());
    assertThat(preempted.getPhase()).isEqualTo(TrialPhase.Pending);
    assertThat(Conditions.find(preempted.getConditions(), TrainingJobConditions.RUNNING).getReason())
        .isEqualTo(TrainingJobConditions.REASON_SUSPENDED);
  }

  private TrainingJobStatus aggregate(Optional<Job> job, List<Pod> pods, Optional<String> missingSecret, Optional<TrialPods.Waiting> failedCreate) {
    return TrainingJobStatusAggregator.aggregate(
        trial, new TrainingJobStatusAggregator.Observed(Optional.empty(), job, pods, missingSecret, failedCreate, StoredResult.NONE), NOW);
  }

  private static Job job(String startTime) {
    return new JobBuilder()
        .withNewMetadata().withName("dn-sm").withNamespace(Fixtures.NAMESPACE).withCreationTimestamp("2026-01-01T11:58:00Z").endMetadata()
        .withNewSpec().endSpec()
        .withNewStatus().withStartTime(startTime).endStatus()
        .build();
  }

  private static Job suspended(Job job) {
    job.getSpec().setSuspend(true);
    job.getStatus().setStartTime(null);
    job.getStatus().getConditions().add(new JobConditionBuilder().withType("Suspended").withStatus("True")
        .withReason("JobSuspended").withLastTransitionTime("2026-01-01T11:30:00Z").build());
    return job;
  }

  private static io.fabric8.kubernetes.api.model.Condition ready(TrainingJobStatus s) {
    return Conditions.find(s.getConditions(), TrainingJobConditions.READY);
  }
}
