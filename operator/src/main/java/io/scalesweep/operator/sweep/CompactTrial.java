package io.scalesweep.operator.sweep;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobSpec;
import io.scalesweep.api.v1alpha1.TrainingJobStatus;

/**
 * What a sweep needs of a finished trial, and nothing more: its identity and ownership, the
 * shape and pretraining recipe (a catalog entry's FLOPs), and the outcome (phase, the reasons of
 * its conditions, times, GPU time, the result and where it is stored). A sweep reads every trial
 * on every pass, for years of trials: the recipe's datasets, fine-tuning tasks, resources and
 * storage, the live progress and the conditions' prose are most of a TrainingJob and are never
 * read again once it has finished. {@code CompactTrialTest} checks that a sweep's status is the
 * same from the compact trials as from the whole ones.
 */
final class CompactTrial {

  private CompactTrial() {}

  static boolean applies(TrainingJob tj) {
    return TrainingJobStatus.finished(tj.getStatus());
  }

  /** A new TrainingJob holding the parts of a finished {@code tj} a sweep reads. */
  static TrainingJob of(TrainingJob tj) {
    TrainingJob compact = new TrainingJob();
    compact.setMetadata(metadata(tj.getMetadata()));
    TrainingJobSpec spec = new TrainingJobSpec();
    if (tj.getSpec() != null) {
      spec.setSweep(tj.getSpec().getSweep());
      spec.setCode(tj.getSpec().getCode());
      spec.setShape(tj.getSpec().getShape());
      spec.setPretrain(tj.getSpec().getPretrain());
    }
    compact.setSpec(spec);
    compact.setStatus(status(tj.getStatus()));
    return compact;
  }

  private static ObjectMeta metadata(ObjectMeta m) {
    // Identity, versions and ownership: what the informer, JOSDK's owner index and the plan use.
    return new ObjectMetaBuilder()
        .withName(m.getName())
        .withNamespace(m.getNamespace())
        .withUid(m.getUid())
        .withResourceVersion(m.getResourceVersion())
        .withGeneration(m.getGeneration())
        .withCreationTimestamp(m.getCreationTimestamp())
        .withDeletionTimestamp(m.getDeletionTimestamp())
        .withLabels(m.getLabels())
        .withAnnotations(m.getAnnotations())
        .withOwnerReferences(m.getOwnerReferences())
        .withFinalizers(m.getFinalizers())
        .build();
  }

  private static TrainingJobStatus status(TrainingJobStatus s) {
    TrainingJobStatus compact = new TrainingJobStatus();
    compact.setPhase(s.getPhase());
    compact.setRetries(s.getRetries());
    compact.setDisruptions(s.getDisruptions());
    compact.setStartTime(s.getStartTime());
    compact.setCompletionTime(s.getCompletionTime());
    compact.setGpuTime(s.getGpuTime());
    compact.setResult(s.getResult());
    compact.setResultUri(s.getResultUri());
    compact.setCheckpointUri(s.getCheckpointUri());
    if (s.getConditions() != null) {
      // A sweep's plan and messages go by a trial's condition reasons, never by their prose.
      compact.setConditions(s.getConditions().stream().map(CompactTrial::condition).toList());
    }
    return compact;
  }

  private static Condition condition(Condition c) {
    return new ConditionBuilder().withType(c.getType()).withStatus(c.getStatus()).withReason(c.getReason()).build();
  }
}
