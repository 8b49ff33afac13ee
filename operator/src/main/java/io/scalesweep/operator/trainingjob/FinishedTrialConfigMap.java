package io.scalesweep.operator.trainingjob;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalesweep.api.v1alpha1.TrainingJobStatus;
import java.util.Optional;

/**
 * Deletes a trial's ConfigMap once the trial has finished. No attempt of it will read its recipe
 * again, and the operator's ConfigMap cache would otherwise grow by one object per finished
 * trial for as long as the sweep exists (its Jobs and pods already leave the caches when their
 * time to live ends). Its pods keep their mounted copy; the recipe stays in the TrainingJob.
 */
final class FinishedTrialConfigMap {

  private FinishedTrialConfigMap() {}

  static void release(KubernetesClient client, TrainingJobStatus next, Optional<ConfigMap> configMap) {
    if (!TrainingJobStatus.finished(next) || configMap.isEmpty() || configMap.get().getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    client.resource(configMap.get()).delete();
  }
}
