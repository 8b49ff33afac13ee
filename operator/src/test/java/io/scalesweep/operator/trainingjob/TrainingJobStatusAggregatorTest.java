package io.scalesweep.operator.trainingjob;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.scalesweep.api.InvalidSpecException;
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

class TrainingJobStatusAggregatorTest {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final String T0 = "2026-01-01T10:00:00Z";
  private static final String T1 = "2026-01-01T11:00:00Z";

  private final TrainingJob trial = Fixtures.trainingJob("sweep-nl16-sm");

  @Test
  void pendingUntilTheJobExists() {
    TrainingJobStatus s = aggregate(Optional.empty(), List.of());

    assertThat(s.getPhase()).isEqualTo(TrialPhase.Pending);
    assertThat(reason(s, TrainingJobConditions.RUNNING)).isEqualTo(TrainingJobConditions.REASON_CREATING);
    assertThat(s.getObservedGeneration()).isEqualTo(1L);
  }

  @Test
  void pendingWhileThePodWaits() {
    TrainingJobStatus s = aggregate(Optional.of(job(0, null)), List.of());

    assertThat(s.getPhase()).isEqualTo(TrialPhase.Pending);
    assertThat(s.getJobName()).isEqualTo("sweep-nl16-sm");
    assertThat(reason(s, TrainingJobConditions.RUNNING)).isEqualTo(TrainingJobConditions.REASON_WAITING_FOR_POD);
  }

  @Test
  void aPendingTrialSaysWhatItsPodWaitsFor() {
    Pod missingSecret = PodStates.pod("p-1", Map.of(), PodStates.waiting("CreateContainerConfigError",
        "secret \"s3-credentals\" not found"));
    Pod badImage = PodStates.pod("p-2", Map.of(), PodStates.waiting("ImagePullBackOff",
        "Back-off pulling image \"registry.example/trainer:typo\""));
    Pod noGpu = PodStates.pod("p-3", Map.of(), PodStates.unschedulable(
        "0/3 nodes are available: 3 Insufficient nvidia.com/gpu."));
    Pod creating = PodStates.pod("p-4", Map.of(), PodStates.waiting("ContainerCreating", null));

    TrainingJobStatus secret = aggregate(Optional.of(job(0, null)), List.of(missingSecret));
    TrainingJobStatus image = aggregate(Optional.of(job(0, null)), List.of(badImage));
    TrainingJobStatus gpu = aggregate(Optional.of(job(0, null)), List.of(noGpu));
    TrainingJobStatus normal = aggregate(Optional.of(job(0, null)), List.of(creating));

    assertThat(secret.getPhase()).isEqualTo(TrialPhase.Pending);
    assertThat(reason(secret, TrainingJobConditions.READY)).isEqualTo("CreateContainerConfigError");
    assertThat(condition(secret, TrainingJobConditions.READY).getMessage())
        .isEqualTo("pod p-1: CreateContainerConfigError: secret \"s3-credentals\" not found");
    assertThat(reason(image, TrainingJobConditions.RUNNING)).isEqualTo("ImagePullBackOff");
    assertThat(condition(image, TrainingJobConditions.RUNNING).getMessage()).contains("registry.example/trainer:typo");
    assertThat(reason(gpu, TrainingJobConditions.READY)).isEqualTo("Unschedulable");
    assertThat(condition(gpu, TrainingJobConditions.READY).getMessage())
        .isEqualTo("pod p-3 is not scheduled: 0/3 nodes are available: 3 Insufficient nvidia.com/gpu.");
    assertThat(reason(normal, TrainingJobConditions.READY)).isEqualTo("ContainerCreating");
  }

  @Test
  void runningOnceThePodRunsWithItsStartTime() {
    TrainingJobStatus s = aggregate(Optional.of(job(0, null)), List.of(pod("p1", PodStates.running(T0))));

    assertThat(s.getPhase()).isEqualTo(TrialPhase.Running);
    assertThat(s.getStartTime()).isEqualTo(T0);
    assertThat(Conditions.isTrue(s.getConditions(), TrainingJobConditions.RUNNING)).isTrue();
    assertThat(Conditions.isTrue(s.getConditions(), TrainingJobConditions.READY)).isFalse();
  }

  @Test
  void succeededCarriesTheResultFromTheTerminationMessage() {
    var result = PodStates.result(60_000_000L, -1.9, 71.5, 12_000.0);
    Job done = job(0, "Complete");
    done.getStatus().setCompletionTime(T1);

    TrainingJobStatus s = aggregate(Optional.of(done), List.of(pod("p1", PodStates.succeeded(result, T0, T1))));

    assertThat(s.getPhase()).isEqualTo(TrialPhase.Succeeded);
    assertThat(s.getResult().getParams()).isEqualTo(60_000_000L);
    assertThat(s.getResult().getNegLogPerplexity()).isEqualTo(-1.9);
    assertThat(s.getStartTime()).isEqualTo(T0);
    assertThat(s.getCompletionTime()).isEqualTo(T1);
    assertThat(s.getResultUri()).isEqualTo("s3://sweeps/research/deepnarrow/sweep-nl16-sm/result.json");
    assertThat(reason(s, TrainingJobConditions.READY)).isEqualTo(TrainingJobConditions.REASON_SUCCEEDED);
    assertThat(Conditions.isTrue(s.getConditions(), TrainingJobConditions.READY)).isTrue();
  }

  @Test
  void aCompleteJobWaitsForItsPodsResultWhenThePodCacheLags() {
    var result = PodStates.result(60_000_000L, -1.9, 71.5, 12_000.0);
    Job done = job(0, "Complete");
    done.getStatus().setCompletionTime(T1);

    TrainingJobStatus lagging = aggregate(Optional.of(done), List.of(pod("p1", PodStates.running(T0))));
    TrainingJobStatus caughtUp = aggregate(Optional.of(done), List.of(pod("p1", PodStates.succeeded(result, T0, T1))));

    assertThat(lagging.getPhase()).isEqualTo(TrialPhase.Running);
    assertThat(lagging.getResult()).isNull();
    assertThat(caughtUp.getPhase()).isEqualTo(TrialPhase.Succeeded);
    assertThat(caughtUp.getResult().getParams()).isEqualTo(60_000_000L);
  }

  @Test
  void succeededWithoutAReadableResultSaysSo() {
    TrainingJobStatus s = aggregate(
        Optional.of(job(0, "Complete")), List.of(pod("p1", PodStates.exited(0, "not json", T0, T1))));

    assertThat(s.getPhase()).isEqualTo(TrialPhase.Succeeded);
    assertThat(s.getResult()).isNull();
    assertThat(reason(s, TrainingJobConditions.READY)).isEqualTo(TrainingJobConditions.REASON_RESULT_MISSING);
  }

  @Test
  void aCompleteJobWhosePodIsGoneTakesTheResultItsTrainerStored() {
    var stored = PodStates.result(60_000_000L, -1.9, 71.5, 12_000.0);
    Job done = job(0, "Complete");

    TrainingJobStatus s = TrainingJobStatusAggregator.aggregate(trial, new TrainingJobStatusAggregator.Observed(
        Optional.empty(), Optional.of(done), List.of(), Optional.empty(), Optional.empty(), StoredResult.found(stored)), NOW);

    assertThat(s.getPhase()).isEqualTo(TrialPhase.Succeeded);
    assertThat(s.getResult().getParams()).isEqualTo(60_000_000L);
    assertThat(reason(s, TrainingJobConditions.READY)).isEqualTo(TrainingJobConditions.REASON_SUCCEEDED);
    assertThat(condition(s, TrainingJobConditions.READY).getMessage())
        .contains("read from s3://sweeps/research/deepnarrow/sweep-nl16-sm/result.json");
  }

  @Test
  void aStorageOutageKeepsACompleteTrialWhosePodIsGoneRunningUntilItsResultCanBeRead() {
    Job done = job(0, "Complete");
    TrainingJobStatus outage = TrainingJobStatusAggregator.aggregate(trial, new TrainingJobStatusAggregator.Observed(
        Optional.empty(), Optional.of(done), List.of(), Optional.empty(), Optional.empty(),
        StoredResult.unreadable("connection refused")), NOW);

    assertThat(outage.getPhase()).isEqualTo(TrialPhase.Running);
    assertThat(outage.getResult()).isNull();
    assertThat(outage.getCompletionTime()).isNull();
    assertThat(reason(outage, TrainingJobConditions.READY)).isEqualTo(TrainingJobConditions.REASON_RESULT_UNREADABLE);
    assertThat(condition(outage, TrainingJobConditions.RUNNING).getMessage())
        .contains("s3://sweeps/research/deepnarrow/sweep-nl16-sm/result.json", "connection refused");
    // still unfinished, so the next pass reads storage again
    trial.setStatus(outage);
    assertThat(TrainingJobStatusAggregator.wantsStoredResult(trial, Optional.of(done), List.of())).isTrue();

    TrainingJobStatus back = TrainingJobStatusAggregator.aggregate(trial, new TrainingJobStatusAggregator.Observed(
        Optional.empty(), Optional.of(done), List.of(), Optional.empty(), Optional.empty(),
        StoredResult.found(PodStates.result(60_000_000L, -1.9, 71.5, 12_000.0))), NOW);

    assertThat(back.getPhase()).isEqualTo(TrialPhase.Succeeded);
    assertThat(back.getResult().getParams()).isEqualTo(60_000_000L);
    assertThat(reason(back, TrainingJobConditions.READY)).isEqualTo(TrainingJobConditions.REASON_SUCCEEDED);
  }

  @Test
  void storageIsReadForAResultOnlyWhenACompleteJobsPodsCannotTellIt() {
    var result = PodStates.result(60_000_000L, -1.9, 71.5, 12_000.0);
    Optional<Job> done = Optional.of(job(0, "Complete"));
    TrainingJob finished = Fixtures.trainingJob("sweep-nl16-sm");
    finished.setStatus(new TrainingJobStatus());
    finished.getStatus().setPhase(TrialPhase.Succeeded);

    assertThat(TrainingJobStatusAggregator.wantsStoredResult(trial, done, List.of())).isTrue();
    assertThat(TrainingJobStatusAggregator.wantsStoredResult(
        trial, done, List.of(pod("p1", PodStates.exited(0, "not json", T0, T1))))).isTrue();
    assertThat(TrainingJobStatusAggregator.wantsStoredResult(
        trial, done, List.of(pod("p1", PodStates.succeeded(result, T0, T1))))).isFalse();
    // The pod cache lags behind the Job's: its own update brings the result.
    assertThat(TrainingJobStatusAggregator.wantsStoredResult(trial, done, List.of(pod("p1", PodStates.running(T0))))).isFalse();
    assertThat(TrainingJobStatusAggregator.wantsStoredResult(trial, Optional.of(job(0, null)), List.of())).isFalse();
    assertThat(TrainingJobStatusAggregator.wantsStoredResult(finished, done, List.of())).isFalse();
  }

  @Test
  void retriesAreTheJobsCountedFailures() {
    TrainingJobStatus s = aggregate(
        Optional.of(job(2, null)),
        List.of(pod("p1", PodStates.exited(1, null, T0, T0)), pod("p2", PodStates.exited(1, null, T0, T0)),
            pod("p3", PodStates.running(T1))));

    assertThat(s.getPhase()).isEqualTo(TrialPhase.Running);
    assertThat(s.getRetries()).isEqualTo(2);
    assertThat(s.getDisruptions()).isZero();
  }

  @Test
  void failedAfterBackoffLimitCountsOnlyTheFailuresThatWereRetried() {
    Job failed = job(4, "Failed");
    failed.getStatus().getConditions().get(0).setReason("BackoffLimitExceeded");

    TrainingJobStatus s = aggregate(Optional.of(failed), List.of());

    assertThat(s.getPhase()).isEqualTo(TrialPhase.Failed);
    assertThat(s.getRetries()).isEqualTo(3);
    assertThat(reason(s, TrainingJobConditions.FAILED)).isEqualTo(TrainingJobConditions.REASON_RETRIES_EXHAUSTED);
    assertThat(s.getCompletionTime()).isEqualTo(T1);
  }

  @Test
  void anInvalidTrialExitFailsAtOnce() {
    Job failed = job(1, "Failed");
    failed.getStatus().getConditions().get(0).setReason("PodFailurePolicy");

    TrainingJobStatus s = aggregate(Optional.of(failed), List.of());

    assertThat(s.getPhase()).isEqualTo(TrialPhase.Failed);
    assertThat(s.getRetries()).isZero();
    assertThat(reason(s, TrainingJobConditions.FAILED)).isEqualTo(TrainingJobConditions.REASON_INVALID_TRIAL);
  }

  @Test
  void eachDisruptedPodIsCountedOnceEvenAfterItIsGone() {
    Pod preempted = pod("p1", PodStates.preempted(T0, T1));
    TrainingJobStatus first = aggregate(Optional.of(job(0, null)), List.of(preempted));
    trial.setStatus(first);

    TrainingJobStatus again = aggregate(Optional.of(job(0, null)), List.of(preempted));
    trial.setStatus(again);
    TrainingJobStatus afterDeletion = aggregate(Optional.of(job(0, null)), List.of(pod("p2", PodStates.running(T1))));
    trial.setStatus(afterDeletion);
    TrainingJobStatus secondPreemption =
        aggregate(Optional.of(job(0, null)), List.of(pod("p2", PodStates.preempted(T1, T1))));

    assertThat(first.getDisruptions()).isEqualTo(1);
    assertThat(again.getDisruptions()).isEqualTo(1);
    assertThat(afterDeletion.getDisruptions()).isEqualTo(1);
    assertThat(afterDeletion.getRetries()).isZero();
    assertThat(secondPreemption.getDisruptions()).isEqualTo(2);
    assertThat(secondPreemption.getDisruptedPods()).containsExactly("p1", "p2");
  }

  @Test
  void rememberedDisruptedPodsAreBounded() {
    for (int i = 0; i < 30; i++) {
      trial.setStatus(aggregate(Optional.of(job(0, null)), List.of(pod("p" + i, PodStates.preempted(T0, T1)))));
    }

    assertThat(trial.getStatus().getDisruptions()).isEqualTo(30);
    assertThat(trial.getStatus().getDisruptedPods()).hasSize(20).endsWith("p29");
  }

  @Test
  void anInvalidSpecFailsNamingTheField() {
    TrainingJobStatus s = TrainingJobStatusAggregator.aggregate(
        trial,
        new TrainingJobStatusAggregator.Observed(
            Optional.of(new InvalidSpecException("spec.storage.uri", "spec.storage.uri is required")),
            Optional.empty(), List.of()),
        NOW);

    assertThat(s.getPhase()).isEqualTo(TrialPhase.Failed);
    var failed = Conditions.find(s.getConditions(), TrainingJobConditions.FAILED);
    assertThat(failed.getReason()).isEqualTo(TrainingJobConditions.REASON_INVALID_SPEC);
    assertThat(failed.getMessage()).startsWith("spec.storage.uri");
  }

  @Test
  void aFinishedTrialStaysFinishedWhateverItsJobSays() {
    Job done = job(0, "Complete");
    trial.setStatus(aggregate(Optional.of(done), List.of(pod("p1", PodStates.succeeded(PodStates.result(1, -2, null, 1), T0, T1)))));

    TrainingJobStatus later = aggregate(Optional.empty(), List.of());

    assertThat(later.getPhase()).isEqualTo(TrialPhase.Succeeded);
    assertThat(later.getResult()).isNotNull();
  }

  @Test
  void theSameObservationGivesTheSameStatus() {
    trial.setStatus(aggregate(Optional.of(job(0, null)), List.of(pod("p1", PodStates.running(T0)))));

    TrainingJobStatus again = TrainingJobStatusAggregator.aggregate(
        trial,
        new TrainingJobStatusAggregator.Observed(Optional.empty(), Optional.of(job(0, null)), List.of(pod("p1", PodStates.running(T0)))),
        NOW.plusSeconds(3600));

    assertThat(io.scalesweep.operator.common.Json.sameJson(trial.getStatus(), again)).isTrue();
  }

  private TrainingJobStatus aggregate(Optional<Job> job, List<Pod> pods) {
    return TrainingJobStatusAggregator.aggregate(
        trial, new TrainingJobStatusAggregator.Observed(Optional.empty(), job, pods), NOW);
  }

  private static Pod pod(String name, PodStatus status) {
    return PodStates.pod(name, Map.of(), status);
  }

  private static Job job(int failed, String finishedCondition) {
    var builder = new JobBuilder()
        .withNewMetadata().withName("sweep-nl16-sm").withNamespace(Fixtures.NAMESPACE).endMetadata()
        .withNewStatus().withFailed(failed == 0 ? null : failed).withStartTime(T0).endStatus();
    Job job = builder.build();
    if (finishedCondition != null) {
      job.getStatus().getConditions().add(
          new JobConditionBuilder().withType(finishedCondition).withStatus("True").withLastTransitionTime(T1).build());
    }
    return job;
  }

  private static io.fabric8.kubernetes.api.model.Condition condition(TrainingJobStatus s, String type) {
    return Conditions.find(s.getConditions(), type);
  }

  private static String reason(TrainingJobStatus s, String type) {
    return Conditions.find(s.getConditions(), type).getReason();
  }
}
