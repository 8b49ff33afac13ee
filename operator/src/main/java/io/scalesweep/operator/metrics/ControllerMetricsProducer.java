package io.scalesweep.operator.metrics;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * JOSDK's reconciliation metrics per controller, not per resource. QOSDK's default keeps a set of
 * meters for every TrainingJob it ever reconciled (named and namespaced) until the trial is
 * deleted: a sweep of thousands of trials became thousands of Prometheus series and as many
 * objects on the heap. What a trial did is in its status and in {@link SweepMetrics}.
 */
@ApplicationScoped
public class ControllerMetricsProducer {

  @Produces
  @Singleton
  Metrics controllerMetrics(MeterRegistry registry) {
    return MicrometerMetrics.withoutPerResourceMetrics(registry);
  }
}
