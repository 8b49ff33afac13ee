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
import io.scalesweep.operator.config.TrainerSettings;
import io.scalesweep.operator.testing.Fixtures;
import io.scalesweep.operator.testing.PodStates;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A TrainingJob's spec.suspend: no Job while it holds, no GPU time, no retries used up. */
class TrialSuspensionTest {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final String T0 = "2026-01-01T11:00:00Z";

  private final TrainingJob trial = Fixtures.trainingJob("dn-sm");

  @Test
  void aSuspendedRunningTrialShowsSuspendedStopsItsJobAndItsGpuTime() {
    Pod running = PodStates.pod("p", Map.of(), PodStates.running(T0));
    trial.setStatus(aggregate(Optional.of(job(1, null, null)), List.of(running)));
    assertThat(trial.getStatus().getPhase()).isEqualTo(TrialPhase.Running);
    assertThat(trial.getStatus().getRetries()).isEqualTo(1);
    assertThat(trial.getStatus().getGpuTime().getRunningSince()).isEqualTo(T0);

    trial.getSpec().setSuspend(true);
    Optional<Job> job = Optional.of(job(1, null, null));
    assertThat(TrialSuspension.jobToStop(trial, job)).isTrue();
    TrainingJobStatus suspended = aggregate(job, List.of(running));

    assertThat(suspended.getPhase()).isEqualTo(TrialPhase.Pending);
    assertThat(reason(suspended, TrainingJobConditions.RUNNING)).isEqualTo(TrainingJobConditions.REASON_SUSPENDED);
    assertThat(reason(suspended, TrainingJobConditions.READY)).isEqualTo(TrainingJobConditions.REASON_SUSPENDED);
    assertThat(Conditions.find(suspended.getConditions(), TrainingJobConditions.RUNNING).getMessage())
        .contains("spec.suspend is true").contains("resumes from its last checkpoint");
    assertThat(suspended.getGpuTime().getRunningSince()).isNull();
    assertThat(suspended.getGpuTime().getSeconds()).isEqualTo(3600);
    assertThat(suspended.getRetries()).isEqualTo(1);

    // The Job and its pod are gone: still suspended, GPU time and retries as they were.
    trial.setStatus(suspended);
    TrainingJobStatus later = TrainingJobStatusAggregator.aggregate(trial,
        new TrainingJobStatusAggregator.Observed(Optional.empty(), Optional.empty(), List.of()), NOW.plusSeconds(600));
    assertThat(later.getPhase()).isEqualTo(TrialPhase.Pending);
    assertThat(reason(later, TrainingJobConditions.RUNNING)).isEqualTo(TrainingJobConditions.REASON_SUSPENDED);
    assertThat(later.getGpuTime().getSeconds()).isEqualTo(3600);
    assertThat(later.getRetries()).isEqualTo(1);
    assertThat(later.getJobName()).isEqualTo("dn-sm");
  }

  @Test
  void aFinishedJobIsNotStoppedAndItsOutcomeWins() {
    trial.getSpec().setSuspend(true);
    Job complete = job(0, "Complete", null);

    assertThat(TrialSuspension.jobToStop(trial, Optional.of(complete))).isFalse();
    assertThat(TrialSuspension.jobToStop(trial, Optional.empty())).isFalse();
    Pod done = PodStates.pod("p", Map.of(), PodStates.succeeded(PodStates.result(1, -2, null, 1), T0, "2026-01-01T11:30:00Z"));
    assertThat(aggregate(Optional.of(complete), List.of(done)).getPhase()).isEqualTo(TrialPhase.Succeeded);
  }

  @Test
  void anUnsuspendedTrialIsNotStopped() {
    assertThat(TrialSuspension.jobToStop(trial, Optional.of(job(0, null, null)))).isFalse();
    trial.getSpec().setSuspend(false);
    assertThat(TrialSuspension.jobToStop(trial, Optional.of(job(0, null, null)))).isFalse();
  }

  @Test
  void afterResumingTheTrialWaitsForItsOldPodThenItsNewJobGetsTheRetriesLeft() {
    trial.setStatus(new TrainingJobStatus());
    trial.getStatus().setStartTime(T0);
    trial.getStatus().setJobName("dn-sm");
    trial.getStatus().setRetries(2);
    Pod stopping = PodStates.pod("p", Map.of(), PodStates.running(T0));

    TrainingJobStatus waiting = aggregate(Optional.empty(), List.of(stopping));
    assertThat(waiting.getPhase()).as("no Job: not Running").isEqualTo(TrialPhase.Pending);
    assertThat(reason(waiting, TrainingJobConditions.RUNNING)).isEqualTo(TrainingJobConditions.REASON_CREATING);
    assertThat(Conditions.find(waiting.getConditions(), TrainingJobConditions.RUNNING).getMessage()).contains("still stopping");
    assertThat(TrialSuspension.podStillRunning(List.of(stopping))).isTrue();
    assertThat(TrialSuspension.podStillRunning(List.of(PodStates.pod("q", Map.of(), PodStates.exited(143, null, T0, T0))))).isFalse();

    // maxRetries 3, two used: the new Job may retry once more, and says how many came before it.
    Job desired = TrialRetries.carriedOver(
        new TrialJobDependentResource(new TrainerSettings("registry.example/trainer:1", "IfNotPresent")).desired(trial), trial);
    assertThat(desired.getSpec().getBackoffLimit()).isEqualTo(1);
    assertThat(desired.getMetadata().getAnnotations()).containsEntry(TrialRetries.RETRIES_BEFORE, "2");

    TrainingJobStatus running = aggregate(Optional.of(job(0, null, "2")), List.of(PodStates.pod("p2", Map.of(), PodStates.running(T0))));
    assertThat(running.getPhase()).isEqualTo(TrialPhase.Running);
    assertThat(running.getRetries()).as("retries carried over, not restarted").isEqualTo(2);

    TrainingJobStatus failed = aggregate(Optional.of(job(2, "Failed", "2")), List.of());
    assertThat(failed.getPhase()).isEqualTo(TrialPhase.Failed);
    assertThat(failed.getRetries()).isEqualTo(3);
  }

  @Test
  void aTrialWithoutRetriesUsedGetsTheFullBackoffLimit() {
    Job desired = new TrialJobDependentResource(new TrainerSettings("registry.example/trainer:1", "IfNotPresent")).desired(trial);
    Job carried = TrialRetries.carriedOver(desired, trial);

    assertThat(carried.getSpec().getBackoffLimit()).isEqualTo(3);
    assertThat(carried.getMetadata().getAnnotations() == null
        || !carried.getMetadata().getAnnotations().containsKey(TrialRetries.RETRIES_BEFORE)).isTrue();
    assertThat(TrialRetries.before(carried)).isZero();
  }

  @Test
  void noStartDeadlineRunsWhileSuspendedOrBeforeTheJobAfterASuspension() {
    trial.getSpec().setStartDeadlineSeconds(60);
    trial.getMetadata().setCreationTimestamp("2026-01-01T10:00:00Z");
    assertThat(StartDeadline.exceeded(trial, Optional.empty(), NOW)).isTrue();

    trial.getSpec().setSuspend(true);
    assertThat(StartDeadline.exceeded(trial, Optional.empty(), NOW)).isFalse();
    TrainingJobStatus suspended = aggregate(Optional.empty(), List.of());
    assertThat(suspended.getPhase()).isEqualTo(TrialPhase.Pending);
    assertThat(Conditions.find(suspended.getConditions(), TrainingJobConditions.RUNNING).getMessage())
        .contains("starts when spec.suspend is false");

    // Resumed: the clock starts again with the new Job.
    trial.setStatus(suspended);
    trial.getSpec().setSuspend(null);
    assertThat(StartDeadline.exceeded(trial, Optional.empty(), NOW)).isFalse();
    assertThat(aggregate(Optional.empty(), List.of()).getPhase()).isEqualTo(TrialPhase.Pending);
  }

  @Test
  void theTrainerIsNotToldAboutSuspension() {
    trial.getSpec().setSuspend(true);

    assertThat(TrialConfigMapDependentResource.trialJson(trial)).doesNotContain("suspend");
    assertThat(trial.getSpec().getSuspend()).isTrue();
  }

  private TrainingJobStatus aggregate(Optional<Job> job, List<Pod> pods) {
    return TrainingJobStatusAggregator.aggregate(trial, new TrainingJobStatusAggregator.Observed(Optional.empty(), job, pods), NOW);
  }

  private static String reason(TrainingJobStatus s, String type) {
    return Conditions.find(s.getConditions(), type).getReason();
  }

  private static Job job(int failed, String finished, String retriesBefore) {
    Job job = new JobBuilder()
        .withNewMetadata().withName("dn-sm").withNamespace(Fixtures.NAMESPACE)
        .withAnnotations(retriesBefore == null ? Map.of() : Map.of(TrialRetries.RETRIES_BEFORE, retriesBefore)).endMetadata()
        .withNewSpec().endSpec()
        .withNewStatus().withFailed(failed == 0 ? null : failed).withStartTime(T0).endStatus()
        .build();
    if (finished != null) {
      job.getStatus().getConditions().add(new JobConditionBuilder().withType(finished).withStatus("True")
          .withReason(finished.equals("Failed") ? "BackoffLimitExceeded" : "CompletionsReached")
          .withLastTransitionTime("2026-01-01T11:30:00Z").build());
    }
    return job;
  }
}
