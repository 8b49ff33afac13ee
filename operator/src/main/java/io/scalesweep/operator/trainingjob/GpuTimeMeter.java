package io.scalesweep.operator.trainingjob;

import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobStatus;
import io.scalesweep.operator.metrics.SweepMetrics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adds a trial's newly counted GPU time to the metric, once. What is new is what the status about
 * to be written holds beyond the stored status and beyond what this process already added: when
 * the write fails and reconciliation is retried, the same seconds are computed again and are not
 * added twice. Trials are forgotten once their stored status is final.
 */
final class GpuTimeMeter {

  /** Bounds memory should trials be deleted while they run; forgetting one only risks a recount. */
  static final int TRIALS_KEPT = 10_000;

  private final SweepMetrics metrics;
  private final Map<String, Long> added = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > TRIALS_KEPT;
    }
  };

  GpuTimeMeter(SweepMetrics metrics) {
    this.metrics = metrics;
  }

  synchronized void observe(TrainingJob trial, TrainingJobStatus stored, TrainingJobStatus next) {
    String uid = trial.getMetadata().getUid();
    if (TrainingJobStatus.finished(stored)) {
      added.remove(uid);
      return;
    }
    long counted = Math.max(seconds(stored), added.getOrDefault(uid, 0L));
    long now = seconds(next);
    if (now > counted) {
      metrics.gpuTimeUsed(trial.getMetadata().getNamespace(), trial.getSpec().getSweep(), now - counted);
      added.put(uid, now);
    }
  }

  private static long seconds(TrainingJobStatus status) {
    return status.getGpuTime() == null || status.getGpuTime().getSeconds() == null ? 0 : status.getGpuTime().getSeconds();
  }
}
