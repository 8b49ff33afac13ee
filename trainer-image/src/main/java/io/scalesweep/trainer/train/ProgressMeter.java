package io.scalesweep.trainer.train;

/** Turns step outcomes into {@link Progress}: windowed rates, mean loss, totals and the ETA. */
final class ProgressMeter {

  private final Phase phase;
  private final long totalSteps;
  private final long logEvery;
  private long tokens;
  private double trainSeconds;
  private long windowSteps;
  private long windowTokens;
  private double windowSeconds;
  private double windowLoss;
  private long windowLossSteps;
  private double lastMeanLoss = Double.NaN;
  private boolean first = true;
  private long skippedSteps;
  private long recomputedSteps;

  /**
   * @param tokens input plus target tokens trained on before this attempt
   * @param trainSeconds training time before this attempt
   * @param skippedSteps updates skipped before this attempt ({@link StepRepair#SKIPPED})
   * @param recomputedSteps steps recomputed before this attempt ({@link StepRepair#RECOMPUTED})
   */
  ProgressMeter(
      Phase phase,
      long totalSteps,
      long logEvery,
      long tokens,
      double trainSeconds,
      long skippedSteps,
      long recomputedSteps) {
    this.phase = phase;
    this.totalSteps = totalSteps;
    this.logEvery = logEvery;
    this.tokens = tokens;
    this.trainSeconds = trainSeconds;
    this.skippedSteps = skippedSteps;
    this.recomputedSteps = recomputedSteps;
  }

  /** A step a run logs: its first one, every {@code logEvery}-th and the last. */
  boolean logs(long step) {
    return first || step % logEvery == 0 || step == totalSteps;
  }

  Progress record(StepOutcome s) {
    tokens += s.tokens();
    switch (s.repair()) {
      case SKIPPED -> skippedSteps++;
      case RECOMPUTED -> recomputedSteps++;
      case NONE -> {}
    }
    trainSeconds += s.seconds();
    windowSteps++;
    windowTokens += s.tokens();
    windowSeconds += s.seconds();
    // only observed steps carry losses, each the sum since the previous observed one
    windowLoss += s.lossSum();
    windowLossSteps += s.lossSteps();
    if (windowLossSteps > 0) {
      lastMeanLoss = windowLoss / windowLossSteps;
    }
    boolean logged = logs(s.step());
    double stepsPerSecond = windowSteps / Math.max(windowSeconds, 1e-9);
    Progress progress =
        new Progress(
            phase,
            s.step(),
            totalSteps,
            s.loss(),
            lastMeanLoss,
            s.learningRate(),
            s.gradientNorm(),
            windowTokens / Math.max(windowSeconds, 1e-9),
            stepsPerSecond,
            trainSeconds,
            (totalSteps - s.step()) / stepsPerSecond,
            skippedSteps,
            recomputedSteps,
            logged);
    if (logged) {
      first = false;
      windowSteps = 0;
      windowTokens = 0;
      windowSeconds = 0;
      windowLoss = 0;
      windowLossSteps = 0;
    }
    return progress;
  }

  long tokens() {
    return tokens;
  }

  double trainSeconds() {
    return trainSeconds;
  }

  long skippedSteps() {
    return skippedSteps;
  }

  long recomputedSteps() {
    return recomputedSteps;
  }

  /** About a hundred log lines per run, at least every step and at most every 100 steps. */
  static long defaultLogEvery(long steps) {
    return Math.max(1, Math.min(100, steps / 100));
  }
}
