package io.scalesweep.operator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.scalesweep.api.v1alpha1.TrialCounts;
import io.scalesweep.api.v1alpha1.TrialPhase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The operator's own Prometheus metrics, next to JOSDK's reconciliation metrics:
 *
 * <ul>
 *   <li>{@code scalesweep_trials{namespace,sweep,phase}}: trials of a sweep by phase;
 *   <li>{@code scalesweep_sweep_best_quality{namespace,sweep,metric}}: the best trial's metric;
 *   <li>{@code scalesweep_gpu_seconds_total{namespace,sweep}}: GPUs times the seconds trainer
 *       pods ran, added as each run ends (time a trial is suspended or pending is not counted).
 * </ul>
 *
 * Gauges read from a per-sweep snapshot the sweep reconciler replaces, and are removed with the
 * sweep so deleted sweeps leave no stale series.
 */
@ApplicationScoped
public class SweepMetrics {

  static final String TRIALS = "scalesweep.trials";
  static final String BEST = "scalesweep.sweep.best.quality";
  static final String GPU_SECONDS = "scalesweep.gpu.seconds";

  private final MeterRegistry registry;
  private final Map<SweepKey, AtomicReference<Snapshot>> sweeps = new ConcurrentHashMap<>();
  /** Best-quality gauges registered, by sweep and metric (Micrometer warns on re-registration). */
  private final Set<List<String>> bestGauges = ConcurrentHashMap.newKeySet();

  public SweepMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A sweep as metrics tag it. */
  public record SweepKey(String namespace, String sweep) {
    Tags tags() {
      return Tags.of("namespace", namespace, "sweep", sweep);
    }
  }

  /** What the gauges of one sweep show. */
  public record Snapshot(TrialCounts counts, String bestMetric, Double bestValue) {}

  /** Publishes a sweep's aggregated state; registers its gauges the first time. */
  public void sweepObserved(String namespace, String sweep, Snapshot snapshot) {
    SweepKey key = new SweepKey(namespace, sweep);
    AtomicReference<Snapshot> ref = sweeps.computeIfAbsent(key, k -> register(k, snapshot));
    ref.set(snapshot);
    if (snapshot.bestMetric() != null
        && bestGauges.add(List.of(key.namespace(), key.sweep(), snapshot.bestMetric()))) {
      registerBest(key, ref, snapshot.bestMetric());
    }
  }

  private AtomicReference<Snapshot> register(SweepKey key, Snapshot first) {
    AtomicReference<Snapshot> ref = new AtomicReference<>(first);
    for (TrialPhase phase : TrialPhase.values()) {
      Gauge.builder(TRIALS, ref, r -> count(r.get().counts(), phase))
          .description("Trials of a sweep by phase")
          .tags(key.tags().and("phase", phase.name()))
          .register(registry);
    }
    return ref;
  }

  private void registerBest(SweepKey key, AtomicReference<Snapshot> ref, String metric) {
    Gauge.builder(BEST, ref, r -> r.get().bestValue() == null ? Double.NaN : r.get().bestValue())
        .description("Quality of the best trial of a sweep (higher is better)")
        .tags(key.tags().and("metric", metric))
        .register(registry);
  }

  /** Adds GPU-seconds a trial's pods used (GPUs times seconds run). */
  public void gpuTimeUsed(String namespace, String sweep, double gpuSeconds) {
    trialFinished(namespace, sweep, 1, gpuSeconds);
  }

  /** Counts the GPU time of a trial that just finished. */
  public void trialFinished(String namespace, String sweep, int gpus, double wallSeconds) {
    if (gpus <= 0 || wallSeconds <= 0) {
      return;
    }
    Counter.builder(GPU_SECONDS)
        .description("GPU-seconds used by finished trials (GPUs times wall time)")
        .baseUnit("seconds")
        .tags(new SweepKey(namespace, sweep == null ? "" : sweep).tags())
        .register(registry)
        .increment(gpus * wallSeconds);
  }

  /** Drops the gauges of every sweep not in {@code live}: those deleted since the last call. */
  public void retainOnly(Set<SweepKey> live) {
    List.copyOf(sweeps.keySet()).stream()
        .filter(key -> !live.contains(key))
        .forEach(key -> sweepDeleted(key.namespace(), key.sweep()));
  }

  public void sweepDeleted(String namespace, String sweep) {
    SweepKey key = new SweepKey(namespace, sweep);
    bestGauges.removeIf(k -> k.get(0).equals(namespace) && k.get(1).equals(sweep));
    if (sweeps.remove(key) != null) {
      List.copyOf(registry.getMeters()).stream()
          .filter(m -> m.getId().getName().equals(TRIALS) || m.getId().getName().equals(BEST))
          .filter(m -> sweep.equals(m.getId().getTag("sweep")) && namespace.equals(m.getId().getTag("namespace")))
          .forEach(registry::remove);
    }
  }

  private static double count(TrialCounts c, TrialPhase phase) {
    if (c == null) {
      return 0;
    }
    Integer n = switch (phase) {
      case Pending -> c.getPending();
      case Running -> c.getRunning();
      case Succeeded -> c.getSucceeded();
      case Failed -> c.getFailed();
    };
    return n == null ? 0 : n;
  }
}
