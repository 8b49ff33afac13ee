package io.scalesweep.operator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobStatus;
import io.scalesweep.api.v1alpha1.TrainingProgress;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.api.v1alpha1.TrialResult;
import io.scalesweep.operator.testing.Fixtures;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepEtaTest {

  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  @Test
  void theLongestRunningTrialWhenNothingIsLeftToStart() {
    var trials = List.of(running(120, 100), running(300, 50), succeeded(400));
    assertThat(SweepEta.estimate(trials, 0, 2, NOW)).isEqualTo(300);
  }

  @Test
  void trialsStillToRunAddWavesOfTheMeanFinishedWallTime() {
    // 5 left at parallelism 2: three waves of the mean finished trial (400 and 600 s: 500 s).
    var trials = List.of(running(120, 100), succeeded(400), succeeded(600));
    assertThat(SweepEta.estimate(trials, 5, 2, NOW)).isEqualTo(120 + 3 * 500);
  }

  @Test
  void beforeAnyTrialFinishesTheRunningOnesSayHowLongATrialTakes() {
    // elapsed 100 s + 200 s to go: a trial takes about 300 s; 2 left at parallelism 1.
    var trials = List.of(running(200, 100));
    assertThat(SweepEta.estimate(trials, 2, 1, NOW)).isEqualTo(200 + 2 * 300);
  }

  @Test
  void noFigureWhileARunningTrialHasNotReportedOrNothingIsKnown() {
    TrainingJob silent = running(10, 10);
    silent.getStatus().setProgress(null);
    assertThat(SweepEta.estimate(List.of(silent, succeeded(100)), 0, 1, NOW)).isNull();
    assertThat(SweepEta.estimate(List.of(), 3, 1, NOW)).isNull();
    assertThat(SweepEta.estimate(List.of(succeeded(100)), 0, 1, NOW)).isNull();
  }

  private static TrainingJob running(long etaSeconds, long elapsedSeconds) {
    TrainingJob tj = Fixtures.trainingJob("t" + etaSeconds);
    TrainingJobStatus status = new TrainingJobStatus();
    status.setPhase(TrialPhase.Running);
    status.setStartTime(NOW.minusSeconds(elapsedSeconds).toString());
    TrainingProgress progress = new TrainingProgress();
    progress.setEtaSeconds(etaSeconds);
    status.setProgress(progress);
    tj.setStatus(status);
    return tj;
  }

  private static TrainingJob succeeded(double wallSeconds) {
    TrainingJob tj = Fixtures.trainingJob("done" + wallSeconds);
    TrainingJobStatus status = new TrainingJobStatus();
    status.setPhase(TrialPhase.Succeeded);
    TrialResult result = new TrialResult();
    result.setWallSeconds(wallSeconds);
    status.setResult(result);
    tj.setStatus(status);
    return tj;
  }
}
