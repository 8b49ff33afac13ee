package io.scalesweep.operator.trainingjob;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.scalesweep.api.contract.TrainerContract;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobSpec;
import io.scalesweep.operator.common.Json;
import io.scalesweep.operator.common.KubeNames;
import io.scalesweep.operator.common.Labels;
import io.scalesweep.operator.common.ManagedFieldsFreeStore;
import io.scalesweep.operator.common.OwnedDependentResource;

/**
 * The resolved trial, mounted into the pod as {@link TrainerContract#TRIAL_PATH}: the
 * TrainingJob itself (apiVersion, kind, name, namespace and spec, no status), which the trainer
 * reads with the same manifest reader as a file given on the command line.
 *
 * <p>Created once and immutable: every attempt of a trial, retries after preemption included,
 * reads the recipe its first attempt read. Deleted when the trial has finished
 * ({@link FinishedTrialConfigMap}), or with its TrainingJob by its owner reference.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.TRAINER_SELECTOR, itemStore = ManagedFieldsFreeStore.class))
public class TrialConfigMapDependentResource extends OwnedDependentResource<ConfigMap, TrainingJob> {

  public TrialConfigMapDependentResource() {
    super(ConfigMap.class, TrainingJob.class);
  }

  public static String configMapName(TrainingJob trial) {
    return KubeNames.bounded(trial.getMetadata().getName(), "-trial", KubeNames.NAME_MAX);
  }

  @Override
  protected ConfigMap desired(TrainingJob trial, Context<TrainingJob> context) {
    return desired(trial);
  }

  /** A pure function of the TrainingJob. */
  static ConfigMap desired(TrainingJob trial) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(configMapName(trial))
        .withNamespace(trial.getMetadata().getNamespace())
        .withLabels(TrialLabels.pod(trial))
        .endMetadata()
        .addToData(TrainerContract.TRIAL_FILE, trialJson(trial))
        .withImmutable(true)
        .build();
  }

  static String trialJson(TrainingJob trial) {
    TrainingJob resolved = new TrainingJob();
    resolved.setMetadata(
        new ObjectMetaBuilder()
            .withName(trial.getMetadata().getName())
            .withNamespace(trial.getMetadata().getNamespace())
            .build());
    resolved.setSpec(Json.copy(trial.getSpec(), TrainingJobSpec.class));
    // Whether it is suspended is the operator's business, not the trainer's recipe.
    resolved.getSpec().setSuspend(null);
    return Json.write(resolved);
  }
}
