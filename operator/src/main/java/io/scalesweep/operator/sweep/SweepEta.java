package io.scalesweep.operator.sweep;

import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobStatus;
import io.scalesweep.api.v1alpha1.TrialPhase;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.OptionalDouble;

/**
 * A sweep's ETA: the longest remaining time of the running trials, plus the trials still to run
 * in waves of {@code parallelism}, each as long as a typical trial. A typical trial is the mean
 * wall time of the finished ones or, before any has finished, of the running ones (elapsed plus
 * remaining). A rough figure for people, never an input to decisions; none when nothing is known.
 */
final class SweepEta {

  private SweepEta() {}

  static Long estimate(Collection<TrainingJob> trials, int notStarted, int parallelism, Instant now) {
    long longestRunning = 0;
    boolean anyRunning = false;
    for (TrainingJob tj : trials) {
      TrainingJobStatus s = tj.getStatus();
      if (s != null && s.getPhase() == TrialPhase.Running) {
        if (s.getProgress() == null || s.getProgress().getEtaSeconds() == null) {
          return null; // a running trial of unknown length: no honest figure yet
        }
        anyRunning = true;
        longestRunning = Math.max(longestRunning, s.getProgress().getEtaSeconds());
      }
    }
    if (notStarted <= 0) {
      return anyRunning ? longestRunning : null;
    }
    OptionalDouble typical = meanFinished(trials);
    if (typical.isEmpty()) {
      typical = meanRunning(trials, now);
    }
    if (typical.isEmpty()) {
      return null;
    }
    long waves = (notStarted + Math.max(1, parallelism) - 1) / Math.max(1, parallelism);
    return longestRunning + Math.round(waves * typical.getAsDouble());
  }

  private static OptionalDouble meanFinished(Collection<TrainingJob> trials) {
    return trials.stream()
        .map(TrainingJob::getStatus)
        .filter(s -> s != null && s.getPhase() == TrialPhase.Succeeded && s.getResult() != null
            && s.getResult().getWallSeconds() != null)
        .mapToDouble(s -> s.getResult().getWallSeconds())
        .average();
  }

  private static OptionalDouble meanRunning(Collection<TrainingJob> trials, Instant now) {
    return trials.stream()
        .map(TrainingJob::getStatus)
        .filter(s -> s != null && s.getPhase() == TrialPhase.Running && s.getStartTime() != null)
        .mapToDouble(s -> elapsedSeconds(s.getStartTime(), now) + s.getProgress().getEtaSeconds())
        .average();
  }

  private static double elapsedSeconds(String start, Instant now) {
    try {
      return Math.max(0, Duration.between(Instant.parse(start), now).toSeconds());
    } catch (DateTimeParseException e) {
      return 0;
    }
  }
}
