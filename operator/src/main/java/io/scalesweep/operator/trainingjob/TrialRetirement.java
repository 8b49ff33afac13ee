package io.scalesweep.operator.trainingjob;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobStatus;
import io.scalesweep.operator.common.Json;
import io.scalesweep.operator.common.Labels;
import java.time.Duration;
import java.util.Optional;

/**
 * Takes a finished trial out of the trial controller's hands: once its final status is stored
 * and a pass finds nothing more to change or delete, it is labelled {@link Labels#FINISHED}, and
 * the controller's informer (which selects {@link Labels#UNFINISHED_SELECTOR}) drops it. Without
 * this, every trial a cluster ever ran stayed in the controller's cache, and a sweep of thousands
 * of trials grew the operator's heap with each one. Its Job and pod leave with their time to live;
 * the sweep still reads it through its own cache.
 */
final class TrialRetirement {

  /** How soon after the final status was written the pass that labels the trial comes. */
  static final Duration AFTER_FINISHING = Duration.ofSeconds(2);

  private static final String PATCH =
      "{\"metadata\":{\"labels\":{\"" + Labels.FINISHED + "\":\"" + Labels.FINISHED_VALUE + "\"}}}";

  private TrialRetirement() {}

  /**
   * Whether the trial can go: its stored status is final, this pass computed the same status
   * (so nothing is left to read, count or write), and its ConfigMap is gone or going.
   */
  static boolean due(TrainingJob trial, TrainingJobStatus stored, TrainingJobStatus next, Optional<ConfigMap> configMap) {
    return TrainingJobStatus.finished(stored)
        && configMap.map(c -> c.getMetadata().getDeletionTimestamp() != null).orElse(true)
        && trial.getMetadata().getDeletionTimestamp() == null
        && !isRetired(trial)
        && Json.sameJson(stored, next);
  }

  /**
   * Whether to come back soon to retire a trial: it has just finished, or its ConfigMap is still
   * going. A finished trial whose status a pass still changed gets no quick return (a status that
   * never settled would loop); the next event, at the latest its Job's expiry, retires it.
   */
  static boolean comeBack(TrainingJobStatus stored, TrainingJobStatus next, Optional<ConfigMap> configMap) {
    return TrainingJobStatus.finished(next) && (!TrainingJobStatus.finished(stored) || configMap.isPresent());
  }

  static boolean isRetired(TrainingJob trial) {
    var labels = trial.getMetadata().getLabels();
    return labels != null && Labels.FINISHED_VALUE.equals(labels.get(Labels.FINISHED));
  }

  /** One merge patch of the label, so nothing else of the trial is written. */
  static void retire(KubernetesClient client, TrainingJob trial) {
    // Patched through an object naming it: by name alone, the client would read it first (a get).
    TrainingJob named = new TrainingJob();
    named.setMetadata(new ObjectMetaBuilder()
        .withName(trial.getMetadata().getName()).withNamespace(trial.getMetadata().getNamespace()).build());
    client.resource(named).patch(PatchContext.of(PatchType.JSON_MERGE), PATCH);
  }
}
