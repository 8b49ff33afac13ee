package io.scalesweep.operator.trainingjob;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.scalesweep.api.v1alpha1.TrialResult;
import io.scalesweep.operator.common.Json;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/** What the operator reads from a trial's pods: disruptions, start times and the result. */
final class TrialPods {

  /** Kubernetes sets this pod condition before preempting, evicting or draining a pod. */
  static final String DISRUPTION_TARGET = "DisruptionTarget";

  private TrialPods() {}

  static boolean isDisrupted(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return false;
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      if (DISRUPTION_TARGET.equals(c.getType()) && "True".equals(c.getStatus())) {
        return true;
      }
    }
    return false;
  }

  /** When the earliest running pod's trainer started, if any pod is or was running. */
  static Optional<String> firstStart(Collection<Pod> pods) {
    return pods.stream()
        .map(TrialPods::startedAt)
        .flatMap(Optional::stream)
        .min(Comparator.comparing(Instant::parse));
  }

  private static Optional<String> startedAt(Pod pod) {
    Optional<ContainerStatus> trainer = trainer(pod);
    if (trainer.isPresent() && trainer.get().getState() != null) {
      var state = trainer.get().getState();
      if (state.getRunning() != null && state.getRunning().getStartedAt() != null) {
        return Optional.of(state.getRunning().getStartedAt());
      }
      if (state.getTerminated() != null && state.getTerminated().getStartedAt() != null) {
        return Optional.of(state.getTerminated().getStartedAt());
      }
    }
    if (pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())) {
      return Optional.ofNullable(pod.getStatus().getStartTime());
    }
    return Optional.empty();
  }

  /**
   * The Job says Complete, but no pod in the cache has the result yet and one has not ended there:
   * Job and pods reach the operator through separate watches, and on a busy API server the Job's
   * status can come first. Deciding then would make the trial Succeeded without its result for
   * good (the simulated cluster's bench saw it after an operator restart); the pod's own update
   * comes next and brings the result.
   */
  static boolean resultStillComing(Collection<Pod> pods) {
    return result(pods).isEmpty() && pods.stream().anyMatch(p -> p.getStatus() == null
        || !("Succeeded".equals(p.getStatus().getPhase()) || "Failed".equals(p.getStatus().getPhase())));
  }

  /**
   * The result the trainer left in its termination message, from the pod that succeeded. Empty
   * when no pod succeeded or the message is not a result (the trainer writes JSON or nothing).
   */
  static Optional<TrialResult> result(Collection<Pod> pods) {
    return pods.stream()
        .filter(p -> p.getStatus() != null && "Succeeded".equals(p.getStatus().getPhase()))
        .map(TrialPods::terminated)
        .flatMap(Optional::stream)
        .filter(t -> Objects.equals(t.getExitCode(), 0))
        .map(ContainerStateTerminated::getMessage)
        .filter(m -> m != null && !m.isBlank())
        .map(TrialPods::parse)
        .flatMap(Optional::stream)
        .findFirst();
  }

  private static Optional<TrialResult> parse(String message) {
    try {
      return Optional.of(Json.MAPPER.readValue(message, TrialResult.class));
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }

  /** Why a trial that has not started yet is waiting, for its conditions. */
  record Waiting(String reason, String message) {}

  /**
   * What keeps a pod of a trial that has not started from running: the trainer container's
   * waiting reason (the kubelet's own, such as ImagePullBackOff) or the scheduler's {@code
   * PodScheduled=False} (reason Unschedulable); empty when nothing is known yet. A trial has one
   * live pod at a time, and disrupted ones are skipped.
   */
  static Optional<Waiting> waiting(Collection<Pod> pods) {
    for (Pod pod : pods) {
      if (pod.getStatus() == null || isDisrupted(pod)) {
        continue;
      }
      String name = pod.getMetadata().getName();
      Optional<ContainerStateWaiting> container = trainer(pod)
          .map(ContainerStatus::getState)
          .map(ContainerState::getWaiting)
          .filter(w -> w.getReason() != null);
      if (container.isPresent()) {
        ContainerStateWaiting w = container.get();
        return Optional.of(new Waiting(w.getReason(), "pod " + name + ": " + w.getReason()
            + (w.getMessage() == null || w.getMessage().isBlank() ? "" : ": " + w.getMessage())));
      }
      Optional<PodCondition> unscheduled = pod.getStatus().getConditions() == null ? Optional.empty()
          : pod.getStatus().getConditions().stream()
              .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
              .findFirst();
      if (unscheduled.isPresent()) {
        PodCondition c = unscheduled.get();
        String reason = c.getReason() == null || c.getReason().isBlank() ? "Unschedulable" : c.getReason();
        return Optional.of(new Waiting(reason, "pod " + name + " is not scheduled"
            + (c.getMessage() == null || c.getMessage().isBlank() ? "" : ": " + c.getMessage())));
      }
    }
    return Optional.empty();
  }

  private static Optional<ContainerStateTerminated> terminated(Pod pod) {
    return trainer(pod)
        .map(ContainerStatus::getState)
        .map(s -> s.getTerminated());
  }

  static Optional<ContainerStatus> trainer(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(c -> TrialPodTemplate.CONTAINER.equals(c.getName()))
        .findFirst();
  }
}
