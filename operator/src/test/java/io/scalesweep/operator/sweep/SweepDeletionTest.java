package io.scalesweep.operator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalesweep.api.shape.Trial;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.operator.sweep.SweepDeletion.Action;
import io.scalesweep.operator.sweep.SweepDeletion.Observed;
import io.scalesweep.operator.testing.Fixtures;
import io.scalesweep.operator.testing.SweepStates;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepDeletionTest {

  private static final Instant REQUESTED = Instant.parse("2026-11-29T12:00:00Z");
  private static final Duration TIMEOUT = Duration.ofMinutes(10);
  private static final Instant SOON = REQUESTED.plusSeconds(30);

  private final ScalingSweep sweep = deleting(Fixtures.sweep("s", List.of(2, 4), List.of(1024)));
  private final List<Trial> trials = SweepStates.trials(sweep);
  private final TrainingJob running = SweepStates.trainingJob(sweep, trials.get(0), TrialPhase.Running, null);
  private final TrainingJob pending = SweepStates.trainingJob(sweep, trials.get(1), TrialPhase.Pending, null);
  private final TrainingJob done = SweepStates.trainingJob(sweep, trials.get(2), TrialPhase.Succeeded, null);

  @Test
  void unfinishedTrialsAreStoppedFirstAndFinishedOnesLeftToGarbageCollection() {
    var step = SweepDeletion.next(sweep, new Observed(List.of(running, pending, done), 2, false), SOON, TIMEOUT);
    assertThat(step.action()).isEqualTo(Action.STOP_TRIALS);
    assertThat(step.trialsToStop()).containsExactlyInAnyOrder(running, pending);
  }

  @Test
  void aTrialAlreadyBeingDeletedIsNotDeletedAgainButItsPodsAreWaitedFor() {
    running.getMetadata().setDeletionTimestamp("2026-11-29T12:00:01Z");
    var step = SweepDeletion.next(sweep, new Observed(List.of(running, done), 1, false), SOON, TIMEOUT);
    assertThat(step.action()).isEqualTo(Action.WAIT_FOR_PODS);
  }

  @Test
  void objectsAreDeletedOnlyOnceNoTrainerPodRuns() {
    assertThat(SweepDeletion.next(sweep, new Observed(List.of(done), 1, false), SOON, TIMEOUT).action()).isEqualTo(Action.WAIT_FOR_PODS);
    assertThat(SweepDeletion.next(sweep, new Observed(List.of(done), 0, false), SOON, TIMEOUT).action()).isEqualTo(Action.DELETE_OBJECTS);
  }

  @Test
  void afterTheTimeoutItGivesUpEvenWithTrialsLeft() {
    Instant late = REQUESTED.plus(TIMEOUT).plusSeconds(1);
    var step = SweepDeletion.next(sweep, new Observed(List.of(running), 1, false), late, TIMEOUT);
    assertThat(step.action()).isEqualTo(Action.GIVE_UP);
    assertThat(step.why()).contains("600s");
    assertThat(SweepDeletion.next(sweep, new Observed(List.of(running), 1, false), REQUESTED.plus(TIMEOUT), TIMEOUT).action())
        .as("not before").isEqualTo(Action.STOP_TRIALS);
  }

  @Test
  void aSecretThatIsGoneOrTheForceAnnotationEndItAtOnce() {
    var gone = SweepDeletion.next(sweep, new Observed(List.of(running), 1, true), SOON, TIMEOUT);
    assertThat(gone.action()).isEqualTo(Action.GIVE_UP);
    assertThat(gone.why()).contains(sweep.getSpec().getStorage().getSecretRef());

    sweep.getMetadata().setAnnotations(new HashMap<>(Map.of(SweepDeletion.FORCE_ANNOTATION, "true")));
    var forced = SweepDeletion.next(sweep, new Observed(List.of(running), 1, false), SOON, TIMEOUT);
    assertThat(forced.action()).isEqualTo(Action.GIVE_UP);
    assertThat(forced.why()).contains(SweepDeletion.FORCE_ANNOTATION);
  }

  private static ScalingSweep deleting(ScalingSweep sweep) {
    sweep.getMetadata().setDeletionTimestamp(REQUESTED.toString());
    return sweep;
  }
}
