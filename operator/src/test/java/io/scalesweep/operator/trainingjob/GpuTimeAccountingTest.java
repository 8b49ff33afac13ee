package io.scalesweep.operator.trainingjob;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.scalesweep.api.v1alpha1.TrialGpuTime;
import io.scalesweep.operator.testing.PodStates;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GpuTimeAccountingTest {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  @Test
  void aRunIsCountedWhenItEndsAndNeverAgain() {
    Pod running = pod(PodStates.running("2026-01-01T11:00:00Z"));
    TrialGpuTime open = GpuTimeAccounting.next(null, List.of(running), 2, false, Optional.empty(), NOW);
    assertThat(open.getSeconds()).isZero();
    assertThat(open.getRunningSince()).isEqualTo("2026-01-01T11:00:00Z");

    Pod done = pod(PodStates.exited(0, null, "2026-01-01T11:00:00Z", "2026-01-01T11:10:00Z"));
    TrialGpuTime ended = GpuTimeAccounting.next(open, List.of(done), 2, false, Optional.empty(), NOW);
    assertThat(ended.getSeconds()).isEqualTo(2 * 600);
    assertThat(ended.getRunningSince()).isNull();

    // The same observation again (a retried status write, another reconciliation) adds nothing.
    assertThat(GpuTimeAccounting.next(ended, List.of(done), 2, false, Optional.empty(), NOW.plusSeconds(300))).isEqualTo(ended);
    // Computed again from the stored status, it is the same value.
    assertThat(GpuTimeAccounting.next(open, List.of(done), 2, false, Optional.empty(), NOW.plusSeconds(300))).isEqualTo(ended);
  }

  @Test
  void aSuspensionEndsTheRunAtItsTimeAndNothingCountsWhileSuspended() {
    TrialGpuTime open = GpuTimeAccounting.next(null, List.of(pod(PodStates.running("2026-01-01T11:00:00Z"))), 1, false, Optional.empty(), NOW);

    TrialGpuTime suspended = GpuTimeAccounting.next(open, List.of(), 1, true, Optional.of(Instant.parse("2026-01-01T11:20:00Z")), NOW);
    assertThat(suspended.getSeconds()).isEqualTo(1200);
    assertThat(suspended.getRunningSince()).isNull();

    TrialGpuTime later = GpuTimeAccounting.next(suspended, List.of(), 1, true, Optional.of(Instant.parse("2026-01-01T11:20:00Z")), NOW.plusSeconds(3600));
    assertThat(later).isEqualTo(suspended);

    Pod resumed = pod(PodStates.running("2026-01-01T13:00:00Z"));
    TrialGpuTime again = GpuTimeAccounting.next(later, List.of(resumed), 1, false, Optional.empty(), NOW.plusSeconds(3600));
    assertThat(again.getSeconds()).isEqualTo(1200);
    assertThat(again.getRunningSince()).isEqualTo("2026-01-01T13:00:00Z");
  }

  @Test
  void aRetryStartingInTheSecondItsPredecessorEndedIsCountedToo() {
    Pod failed = pod(PodStates.exited(1, null, "2026-01-01T11:00:00Z", "2026-01-01T11:00:30Z"));
    TrialGpuTime first = GpuTimeAccounting.next(null, List.of(failed), 1, false, Optional.empty(), NOW);
    Pod retry = pod(PodStates.running("2026-01-01T11:00:30Z"));

    TrialGpuTime running = GpuTimeAccounting.next(first, List.of(failed, retry), 1, false, Optional.empty(), NOW);
    assertThat(running.getRunningSince()).isEqualTo("2026-01-01T11:00:30Z");
    TrialGpuTime suspended = GpuTimeAccounting.next(running, List.of(failed), 1, true, Optional.of(Instant.parse("2026-01-01T11:10:30Z")), NOW);
    assertThat(suspended.getSeconds()).isEqualTo(30 + 600);
  }

  @Test
  void aRunNeverSeenRunningIsCountedFromItsPod() {
    Pod done = pod(PodStates.exited(1, null, "2026-01-01T11:00:00Z", "2026-01-01T11:00:30Z"));

    assertThat(GpuTimeAccounting.next(null, List.of(done), 1, false, Optional.empty(), NOW).getSeconds()).isEqualTo(30);
  }

  @Test
  void aTrialWithoutGpusHasNoGpuTime() {
    assertThat(GpuTimeAccounting.next(null, List.of(pod(PodStates.running("2026-01-01T11:00:00Z"))), 0, false, Optional.empty(), NOW)).isNull();
  }

  private static Pod pod(io.fabric8.kubernetes.api.model.PodStatus status) {
    return PodStates.pod("p-" + status.hashCode(), Map.of(), status);
  }
}
