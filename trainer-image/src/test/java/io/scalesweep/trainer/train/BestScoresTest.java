package io.scalesweep.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalesweep.api.v1alpha1.BestScore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The peak of a planted sequence of scorings, per task and for the checkpoint to keep. */
class BestScoresTest {

  private static final List<Scoring> PLANTED =
      List.of(
          new Scoring(100, Map.of("chase", 30.0, "bool", 60.0), 45.0),
          new Scoring(200, Map.of("chase", 55.0, "bool", 58.0), 56.5),
          new Scoring(300, Map.of("chase", 41.0, "bool", 71.0), 56.0),
          new Scoring(400, Map.of("chase", 55.0, "bool", 64.0), 59.5),
          new Scoring(500, Map.of("chase", 50.0, "bool", 62.0), 56.0));

  @Test
  void eachTaskGetsItsHighestScoreAndTheFirstStepThatReachedIt() {
    Map<String, BestScore> best = BestScores.perTask(PLANTED);

    assertThat(best.get("chase").getScore()).isEqualTo(55.0);
    assertThat(best.get("chase").getStep()).as("the tie at 400 does not move it").isEqualTo(200);
    assertThat(best.get("bool").getScore()).isEqualTo(71.0);
    assertThat(best.get("bool").getStep()).isEqualTo(300);
    assertThat(BestScores.average(best)).isEqualTo(63.0);
  }

  @Test
  void theCheckpointToKeepIsTheStepOfTheHighestAverage() {
    assertThat(BestScores.bestStep(PLANTED)).hasValue(400);
    assertThat(BestScores.bestStep(List.of())).isEmpty();
  }
}
