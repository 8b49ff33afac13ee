package io.scalesweep.operator.trainingjob;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.Pod;
import io.scalesweep.api.v1alpha1.TrialGpuTime;
import io.scalesweep.operator.common.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Adds the time a trial's trainer actually ran to its {@code status.gpuTime}, once per run. A run
 * is counted when it ends: its pod terminated (its own finish time), or its pod vanished or its
 * Job was suspended (the suspension's time, else the time it was noticed). {@code countedUntil}
 * makes a run that ended before it count never again, whatever reconciliation sees it again
 * (a retried status write included). A pure function; the open run's start is kept in status
 * because a preempted or suspended pod is deleted with its start time.
 */
final class GpuTimeAccounting {

  private GpuTimeAccounting() {}

  /** One run of the trainer container: started, and ended unless it still runs. */
  record Run(Instant start, Optional<Instant> end) {}

  /**
   * @param suspendedSince when the Job was suspended, if it is
   * @return the new GPU time, or null for a trial without GPUs
   */
  static TrialGpuTime next(TrialGpuTime previous, Collection<Pod> pods, int gpus, boolean suspended,
      Optional<Instant> suspendedSince, Instant now) {
    if (gpus <= 0) {
      return previous;
    }
    long seconds = previous == null || previous.getSeconds() == null ? 0 : previous.getSeconds();
    Instant since = previous == null ? null : parse(previous.getRunningSince());
    Instant until = previous == null ? null : parse(previous.getCountedUntil());
    List<Run> runs = pods.stream().map(GpuTimeAccounting::run).flatMap(Optional::stream).toList();

    for (Run ended : runs.stream().filter(r -> r.end().isPresent()).sorted(Comparator.comparing(r -> r.end().get())).toList()) {
      Instant end = ended.end().get();
      if (until != null && !end.isAfter(until)) {
        continue;
      }
      seconds += gpus * between(max(ended.start(), until), end);
      until = end;
      if (Objects.equals(since, ended.start())) {
        since = null;
      }
    }
    Optional<Run> live = suspended ? Optional.empty()
        : runs.stream().filter(r -> r.end().isEmpty()).max(Comparator.comparing(Run::start));
    if (since != null && (live.isEmpty() || !live.get().start().equals(since))) {
      // The pod went away without being seen to terminate (suspension, preemption).
      Instant open = since;
      Instant end = suspendedSince.filter(s -> s.isAfter(open)).orElse(now);
      seconds += gpus * between(max(since, until), end);
      until = until == null || end.isAfter(until) ? end : until;
      since = null;
    }
    // Pod times have whole seconds: a retry often starts in the very second its predecessor ended.
    if (since == null && live.isPresent() && (until == null || !live.get().start().isBefore(until))) {
      since = live.get().start();
    }
    if (seconds == 0 && since == null && until == null) {
      return previous;
    }
    TrialGpuTime next = new TrialGpuTime();
    next.setSeconds(seconds);
    next.setRunningSince(since == null ? null : Conditions.timestamp(since));
    next.setCountedUntil(until == null ? null : Conditions.timestamp(until));
    return next;
  }

  private static Optional<Run> run(Pod pod) {
    Optional<ContainerState> state = TrialPods.trainer(pod).map(c -> c.getState());
    if (state.isEmpty()) {
      return Optional.empty();
    }
    var s = state.get();
    if (s.getRunning() != null && s.getRunning().getStartedAt() != null) {
      return Optional.of(new Run(Instant.parse(s.getRunning().getStartedAt()), Optional.empty()));
    }
    if (s.getTerminated() != null && s.getTerminated().getStartedAt() != null && s.getTerminated().getFinishedAt() != null) {
      return Optional.of(new Run(Instant.parse(s.getTerminated().getStartedAt()), Optional.of(Instant.parse(s.getTerminated().getFinishedAt()))));
    }
    return Optional.empty();
  }

  private static long between(Instant from, Instant to) {
    return Math.max(0, Duration.between(from, to).getSeconds());
  }

  private static Instant max(Instant a, Instant b) {
    return b == null || a.isAfter(b) ? a : b;
  }

  private static Instant parse(String t) {
    return t == null ? null : Instant.parse(t);
  }
}
