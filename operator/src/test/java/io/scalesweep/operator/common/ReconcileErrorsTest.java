package io.scalesweep.operator.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconcileErrorsTest {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  @Test
  void anApiErrorShowsTheServersShortMessage() {
    var e = new KubernetesClientException(new StatusBuilder().withCode(409)
        .withMessage("configmaps \"x-trial\" already exists").withReason("AlreadyExists").build());

    var conditions = ReconcileErrors.withError(null, e, 2L, NOW).orElseThrow();

    var c = Conditions.find(conditions, ReconcileErrors.RECONCILE_ERROR);
    assertThat(c.getStatus()).isEqualTo("True");
    assertThat(c.getReason()).isEqualTo(ReconcileErrors.REASON_API_REQUEST_FAILED);
    assertThat(c.getMessage()).isEqualTo("HTTP 409: configmaps \"x-trial\" already exists");
    assertThat(c.getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void aFailedDependentIsNamedWithItsApiError() {
    var e = new KubernetesClientException(new StatusBuilder().withCode(409)
        .withMessage("configmaps \"x-trial\" already exists").build());
    var aggregated = new io.javaoperatorsdk.operator.AggregatedOperatorException("workflow", java.util.Map.of("trial-config", e));

    var c = Conditions.find(ReconcileErrors.withError(null, aggregated, 1L, NOW).orElseThrow(), ReconcileErrors.RECONCILE_ERROR);

    assertThat(c.getReason()).isEqualTo(ReconcileErrors.REASON_API_REQUEST_FAILED);
    assertThat(c.getMessage()).isEqualTo("trial-config: HTTP 409: configmaps \"x-trial\" already exists");
  }

  @Test
  void anotherErrorShowsOnlyItsFirstLineBounded() {
    var e = new IllegalStateException("storage said no\n<Error><Code>AccessDenied</Code></Error>" + "x".repeat(1000));

    var c = Conditions.find(ReconcileErrors.withError(null, e, 1L, NOW).orElseThrow(), ReconcileErrors.RECONCILE_ERROR);

    assertThat(c.getReason()).isEqualTo(ReconcileErrors.REASON_RECONCILE_FAILED);
    assertThat(c.getMessage()).isEqualTo("IllegalStateException: storage said no");
    assertThat(ReconcileErrors.describe(new RuntimeException("y".repeat(1000)))).hasSize(ReconcileErrors.MESSAGE_MAX);
  }

  @Test
  void theSameErrorAgainIsNotWrittenAgainAndOtherConditionsStay() {
    var ready = Conditions.merge(null, List.of(Conditions.Wanted.of("Ready", false, "Training", "")), 1L, NOW);
    var first = ReconcileErrors.withError(ready, new IllegalStateException("boom"), 1L, NOW).orElseThrow();

    assertThat(first).extracting(io.fabric8.kubernetes.api.model.Condition::getType).containsExactly("Ready", "ReconcileError");
    assertThat(ReconcileErrors.withError(first, new IllegalStateException("boom"), 1L, NOW.plusSeconds(5))).isEmpty();
    assertThat(ReconcileErrors.without(first)).extracting(io.fabric8.kubernetes.api.model.Condition::getType).containsExactly("Ready");
  }

  @Test
  void rechecksSlowDownAndStayBounded() {
    assertThat(Recheck.after(java.time.Duration.ofSeconds(1))).isEqualTo(java.time.Duration.ofSeconds(5));
    assertThat(Recheck.after(java.time.Duration.ofMinutes(2))).isEqualTo(java.time.Duration.ofMinutes(1));
    assertThat(Recheck.after(java.time.Duration.ofHours(5))).isEqualTo(java.time.Duration.ofMinutes(5));
  }
}
