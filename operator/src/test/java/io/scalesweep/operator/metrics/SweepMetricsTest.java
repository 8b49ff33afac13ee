package io.scalesweep.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.scalesweep.api.v1alpha1.TrialCounts;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SweepMetricsTest {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final SweepMetrics metrics = new SweepMetrics(registry);

  @Test
  void trialGaugesFollowTheLatestSnapshot() {
    metrics.sweepObserved("ns", "dn", new SweepMetrics.Snapshot(counts(9, 3, 0, 0), null, null));
    metrics.sweepObserved("ns", "dn", new SweepMetrics.Snapshot(counts(4, 3, 5, 0), "upstream", -1.5));

    String scrape = scrape();

    assertThat(scrape).contains("scalesweep_trials{namespace=\"ns\",phase=\"Succeeded\",sweep=\"dn\"} 5.0");
    assertThat(scrape).contains("scalesweep_trials{namespace=\"ns\",phase=\"Pending\",sweep=\"dn\"} 4.0");
    assertThat(scrape).contains("scalesweep_sweep_best_quality{metric=\"upstream\",namespace=\"ns\",sweep=\"dn\"} -1.5");
  }

  @Test
  void gpuSecondsAddUpGpusTimesWallTime() {
    metrics.trialFinished("ns", "dn", 2, 100.0);
    metrics.trialFinished("ns", "dn", 1, 50.0);
    metrics.trialFinished("ns", "dn", 0, 1000.0);

    assertThat(scrape()).contains("scalesweep_gpu_seconds_total{namespace=\"ns\",sweep=\"dn\"} 250.0");
  }

  @Test
  void aDeletedSweepLeavesNoSeries() {
    metrics.sweepObserved("ns", "dn", new SweepMetrics.Snapshot(counts(1, 0, 0, 0), "upstream", -2.0));
    metrics.sweepObserved("ns", "other", new SweepMetrics.Snapshot(counts(1, 0, 0, 0), null, null));

    metrics.sweepDeleted("ns", "dn");

    assertThat(scrape()).doesNotContain("sweep=\"dn\"").contains("sweep=\"other\"");
  }

  @Test
  void sweepsNoLongerLiveLoseTheirSeries() {
    metrics.sweepObserved("ns", "gone", new SweepMetrics.Snapshot(counts(1, 0, 0, 0), "upstream", -2.0));
    metrics.sweepObserved("ns", "live", new SweepMetrics.Snapshot(counts(1, 0, 0, 0), null, null));
    metrics.sweepObserved("other-ns", "gone", new SweepMetrics.Snapshot(counts(1, 0, 0, 0), null, null));

    metrics.retainOnly(Set.of(new SweepMetrics.SweepKey("ns", "live"), new SweepMetrics.SweepKey("other-ns", "gone")));

    assertThat(scrape()).doesNotContain("namespace=\"ns\",phase=\"Pending\",sweep=\"gone\"")
        .doesNotContain("scalesweep_sweep_best_quality")
        .contains("namespace=\"ns\",phase=\"Pending\",sweep=\"live\"")
        .contains("namespace=\"other-ns\",phase=\"Pending\",sweep=\"gone\"");
  }

  /** The Prometheus text, without the simpleclient format's trailing commas in label sets. */
  private String scrape() {
    return registry.scrape().replace(",}", "}");
  }

  private static TrialCounts counts(int pending, int running, int succeeded, int failed) {
    TrialCounts c = new TrialCounts();
    c.setPending(pending);
    c.setRunning(running);
    c.setSucceeded(succeeded);
    c.setFailed(failed);
    c.setTotal(pending + running + succeeded + failed);
    return c;
  }
}
