package io.scalesweep.operator.trainingjob;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobStatus;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.operator.common.Conditions;
import io.scalesweep.operator.common.KubeEvents;
import java.util.Objects;

/** The Events of a trial: one per phase transition, retry and disruption. */
final class TrialEvents {

  void recordChanges(KubernetesClient client, TrainingJob trial, TrainingJobStatus before, TrainingJobStatus after) {
    if (after.getPhase() != before.getPhase() && after.getPhase() != null) {
      phaseChanged(client, trial, before.getPhase(), after);
    }
    if (value(after.getRetries()) > value(before.getRetries()) && after.getPhase() == TrialPhase.Running) {
      KubeEvents.record(client, trial, KubeEvents.WARNING, "Retrying",
          "attempt failed; retry " + after.getRetries() + " of " + trial.getSpec().getMaxRetries());
    }
    if (value(after.getDisruptions()) > value(before.getDisruptions())) {
      KubeEvents.record(client, trial, KubeEvents.NORMAL, "Disrupted",
          "pod preempted or evicted (" + after.getDisruptions() + " so far); it does not count as a retry");
    }
  }

  private void phaseChanged(KubernetesClient client, TrainingJob trial, TrialPhase from, TrainingJobStatus after) {
    var ready = Conditions.find(after.getConditions(), TrainingJobConditions.READY);
    String detail = ready == null || ready.getMessage() == null || ready.getMessage().isEmpty() ? "" : ": " + ready.getMessage();
    String message = (from == null ? "" : from + " -> ") + after.getPhase() + detail;
    String type = after.getPhase() == TrialPhase.Failed ? KubeEvents.WARNING : KubeEvents.NORMAL;
    String reason = Objects.requireNonNull(after.getPhase()).name();
    KubeEvents.record(client, trial, type, reason, message);
  }

  private static int value(Integer i) {
    return i == null ? 0 : i;
  }
}
