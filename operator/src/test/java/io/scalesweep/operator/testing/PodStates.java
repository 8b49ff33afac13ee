package io.scalesweep.operator.testing;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.scalesweep.api.v1alpha1.TrialResult;
import io.scalesweep.operator.common.Json;
import java.util.Map;

/**
 * Pod statuses as the kubelet and the scheduler would write them: running, exited with a code
 * and a termination message, or disrupted (preempted or evicted).
 */
public final class PodStates {

  public static final String CONTAINER = "trainer";

  private PodStates() {}

  public static Pod pod(String name, Map<String, String> annotations, PodStatus status) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(Fixtures.NAMESPACE)
        .withAnnotations(annotations)
        .endMetadata()
        .withStatus(status)
        .build();
  }

  /** Not started: the trainer container waits, for example for an image it cannot pull. */
  public static PodStatus waiting(String reason, String message) {
    return new PodStatusBuilder()
        .withPhase("Pending")
        .withContainerStatuses(
            new ContainerStatusBuilder()
                .withName(CONTAINER)
                .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState()
                .build())
        .build();
  }

  /** Not scheduled: no node fits, as the scheduler reports it. */
  public static PodStatus unschedulable(String message) {
    return new PodStatusBuilder()
        .withPhase("Pending")
        .addNewCondition().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
        .withMessage(message).endCondition()
        .build();
  }

  public static PodStatus running(String startedAt) {
    return new PodStatusBuilder()
        .withPhase("Running")
        .withStartTime(startedAt)
        .withContainerStatuses(
            new ContainerStatusBuilder()
                .withName(CONTAINER)
                .withReady(true)
                .withNewState()
                .withNewRunning(startedAt)
                .endState()
                .build())
        .build();
  }

  public static PodStatus exited(int exitCode, String message, String startedAt, String finishedAt) {
    return new PodStatusBuilder()
        .withPhase(exitCode == 0 ? "Succeeded" : "Failed")
        .withStartTime(startedAt)
        .withContainerStatuses(
            new ContainerStatusBuilder()
                .withName(CONTAINER)
                .withNewState()
                .withNewTerminated()
                .withExitCode(exitCode)
                .withReason(exitCode == 0 ? "Completed" : "Error")
                .withMessage(message)
                .withStartedAt(startedAt)
                .withFinishedAt(finishedAt)
                .endTerminated()
                .endState()
                .build())
        .build();
  }

  public static PodStatus succeeded(TrialResult result, String startedAt, String finishedAt) {
    return exited(0, Json.write(result), startedAt, finishedAt);
  }

  /** What preemption leaves: the DisruptionTarget condition, then SIGTERM (exit 143). */
  public static PodStatus preempted(String startedAt, String finishedAt) {
    PodStatus status = exited(143, null, startedAt, finishedAt);
    status.getConditions().add(
        new PodConditionBuilder()
            .withType("DisruptionTarget")
            .withStatus("True")
            .withReason("PreemptionByScheduler")
            .withMessage("preempted by a higher-priority pod")
            .withLastTransitionTime(finishedAt)
            .build());
    return status;
  }

  public static TrialResult result(long params, double negLogPerplexity, Double downstream, double tokensPerSecond) {
    TrialResult r = new TrialResult();
    r.setParams(params);
    r.setFlops(params * 6);
    r.setSteps(1000L);
    r.setTokensPerSecond(tokensPerSecond);
    r.setNegLogPerplexity(negLogPerplexity);
    r.setDownstreamAverage(downstream);
    return r;
  }
}
