package io.scalesweep.operator.trainingjob;

import io.scalesweep.api.v1alpha1.ResourcesSpec;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.operator.common.KubeNames;
import io.scalesweep.operator.common.Labels;
import java.util.LinkedHashMap;
import java.util.Map;

/** Labels and annotations of a trial's Job and pod. */
final class TrialLabels {

  private TrialLabels() {}

  /** On the pod: enough to select trainer pods and to group them by trial and sweep. */
  static Map<String, String> pod(TrainingJob trial) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
    labels.put(Labels.COMPONENT, Labels.COMPONENT_TRAINER);
    labels.put(Labels.TRAINING_JOB, KubeNames.labelValue(trial.getMetadata().getName()));
    String sweep = trial.getSpec().getSweep();
    if (sweep != null && !sweep.isBlank()) {
      labels.put(Labels.SWEEP, KubeNames.labelValue(sweep));
    }
    return labels;
  }

  /** On the Job: the pod's labels plus Kueue's queue label, which Kueue reads from the Job. */
  static Map<String, String> job(TrainingJob trial, ResourcesSpec resources) {
    Map<String, String> labels = pod(trial);
    String queue = resources.getQueueName();
    if (queue != null && !queue.isBlank()) {
      labels.put(Labels.KUEUE_QUEUE_NAME, queue);
    }
    return labels;
  }

  static Map<String, String> podAnnotations(TrainingJob trial) {
    return Map.of(Labels.TRAINING_JOB_ANNOTATION, trial.getMetadata().getName());
  }
}
