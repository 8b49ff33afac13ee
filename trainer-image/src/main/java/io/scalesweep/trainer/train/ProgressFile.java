package io.scalesweep.trainer.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.contract.TrainerContract;
import io.scalesweep.api.v1alpha1.TrainingProgress;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * {@code progress.json}: where the run stands, rewritten at most once per interval (and at each
 * stage's last step), so that the operator can show a running trial's step, loss and ETA without
 * reading logs. One small PUT per interval, whatever the step rate. Progress is advisory: a failed
 * write is skipped, never a reason to stop training.
 */
public final class ProgressFile implements ProgressListener {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final TrialOutput output;
  private final long intervalNanos;
  private final LongSupplier nanoClock;
  private long lastWrite;
  private boolean written;

  public ProgressFile(TrialOutput output, Duration interval) {
    this(output, interval, System::nanoTime);
  }

  ProgressFile(TrialOutput output, Duration interval, LongSupplier nanoClock) {
    this.output = output;
    this.intervalNanos = interval.toNanos();
    this.nanoClock = nanoClock;
  }

  /** The interval the pod's environment asks for, or the contract's default. */
  public static Duration intervalFromEnvironment() {
    String value = System.getenv(TrainerContract.ENV_PROGRESS_INTERVAL);
    try {
      int seconds = value == null || value.isBlank()
          ? TrainerContract.DEFAULT_PROGRESS_INTERVAL_SECONDS
          : Integer.parseInt(value.trim());
      return Duration.ofSeconds(Math.max(1, seconds));
    } catch (NumberFormatException e) {
      return Duration.ofSeconds(TrainerContract.DEFAULT_PROGRESS_INTERVAL_SECONDS);
    }
  }

  @Override
  public void stepped(Progress p) {
    long now = nanoClock.getAsLong();
    boolean stageEnds = p.step() >= p.totalSteps();
    if (written && !stageEnds && now - lastWrite < intervalNanos) {
      return;
    }
    written = true;
    lastWrite = now;
    try {
      output.put(StorageLayout.PROGRESS_FILE, JSON.writeValueAsBytes(report(p, Instant.now())));
    } catch (IOException e) {
      // The next interval tries again; the run's real output (checkpoints, result) is unaffected.
    }
  }

  static TrainingProgress report(Progress p, Instant now) {
    TrainingProgress report = new TrainingProgress();
    report.setStage(p.phase().label());
    report.setStep(p.step());
    report.setTotalSteps(p.totalSteps());
    report.setLoss(finiteOrNull(p.meanLoss()));
    report.setTokensPerSecond(finiteOrNull(p.tokensPerSecond()));
    report.setEtaSeconds(Double.isFinite(p.etaSeconds()) ? Math.round(p.etaSeconds()) : null);
    report.setUpdated(now.toString());
    return report;
  }

  private static Double finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
