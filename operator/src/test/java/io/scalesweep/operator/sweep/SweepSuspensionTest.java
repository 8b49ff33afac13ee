package io.scalesweep.operator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scalesweep.api.shape.Trial;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.SuspendPolicy;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.operator.common.Json;
import io.scalesweep.operator.sweep.SweepSuspension.Change;
import io.scalesweep.operator.testing.Fixtures;
import io.scalesweep.operator.testing.SweepStates;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepSuspensionTest {

  private final ScalingSweep sweep = Fixtures.sweep("dn", List.of(2, 4), List.of(1024));
  private final List<Trial> trials = SweepStates.trials(sweep);
  private final TrainingJob running = SweepStates.trainingJob(sweep, trials.get(0), TrialPhase.Running, null);
  private final TrainingJob pending = SweepStates.trainingJob(sweep, trials.get(1), TrialPhase.Pending, null);
  private final TrainingJob fresh = SweepStates.trainingJob(sweep, trials.get(2), null, null);
  private final TrainingJob succeeded = SweepStates.trainingJob(sweep, trials.get(3), TrialPhase.Succeeded, null);

  @Test
  void stopRunningSuspendsEveryUnfinishedTrialAndNoFinishedOne() {
    suspend(true, SuspendPolicy.StopRunning);

    assertThat(SweepSuspension.changes(sweep, List.of(succeeded, running, pending, fresh)))
        .containsExactlyInAnyOrder(
            new Change(running.getMetadata().getName(), true),
            new Change(pending.getMetadata().getName(), true),
            new Change(fresh.getMetadata().getName(), true));
  }

  @Test
  void theDefaultPolicyAndAnUnsuspendedSweepTouchNothing() {
    suspend(true, null);
    assertThat(SweepSuspension.changes(sweep, List.of(running, pending))).isEmpty();
    suspend(true, SuspendPolicy.StopLaunching);
    assertThat(SweepSuspension.changes(sweep, List.of(running, pending))).isEmpty();
    suspend(false, SuspendPolicy.StopRunning);
    assertThat(SweepSuspension.changes(sweep, List.of(running, pending))).isEmpty();
  }

  @Test
  void alreadySuspendedTrialsAreNotPatchedAgain() {
    suspend(true, SuspendPolicy.StopRunning);
    bySweep(running);

    assertThat(SweepSuspension.changes(sweep, List.of(running))).isEmpty();
  }

  @Test
  void resumingResumesTheTrialsTheSweepSuspendedAndNotThoseSuspendedByHand() {
    bySweep(running);
    pending.getSpec().setSuspend(true);

    suspend(false, SuspendPolicy.StopRunning);
    assertThat(SweepSuspension.changes(sweep, List.of(running, pending)))
        .containsExactly(new Change(running.getMetadata().getName(), false));
    // The policy set back to StopLaunching resumes them too, while the sweep stays suspended.
    suspend(true, SuspendPolicy.StopLaunching);
    assertThat(SweepSuspension.changes(sweep, List.of(running, pending)))
        .containsExactly(new Change(running.getMetadata().getName(), false));
  }

  @Test
  void aTrialThatFinishedWhileSuspendedIsLeftAlone() {
    bySweep(succeeded);
    suspend(false, SuspendPolicy.StopRunning);

    assertThat(SweepSuspension.changes(sweep, List.of(succeeded))).isEmpty();
  }

  @Test
  void thePatchSetsOrRemovesTheFieldAndTheMark() throws Exception {
    JsonNode suspend = Json.MAPPER.readTree(SweepSuspension.patch(new Change("t", true)));
    JsonNode resume = Json.MAPPER.readTree(SweepSuspension.patch(new Change("t", false)));

    assertThat(suspend.at("/spec/suspend").booleanValue()).isTrue();
    assertThat(suspend.at("/metadata/annotations/" + SweepSuspension.SUSPENDED_BY_SWEEP.replace("/", "~1")).asText()).isEqualTo("true");
    assertThat(resume.at("/spec/suspend").isNull()).as("removed, so the spec is the one created").isTrue();
    assertThat(resume.at("/metadata/annotations/" + SweepSuspension.SUSPENDED_BY_SWEEP.replace("/", "~1")).isNull()).isTrue();
  }

  private void suspend(boolean suspend, SuspendPolicy policy) {
    sweep.getSpec().setSuspend(suspend);
    sweep.getSpec().setSuspendPolicy(policy);
  }

  private static void bySweep(TrainingJob tj) {
    tj.getSpec().setSuspend(true);
    var annotations = new HashMap<String, String>();
    annotations.put(SweepSuspension.SUSPENDED_BY_SWEEP, "true");
    tj.getMetadata().setAnnotations(annotations);
  }
}
