package io.scalesweep.operator.trainingjob;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobStatus;

/**
 * A trial's ConfigMap exists only until the trial has finished ({@link FinishedTrialConfigMap}
 * deletes it then): without this condition the workflow would create it again on the next pass.
 */
public class TrialUnfinishedCondition implements Condition<ConfigMap, TrainingJob> {

  @Override
  public boolean isMet(DependentResource<ConfigMap, TrainingJob> dependent, TrainingJob trial, Context<TrainingJob> context) {
    return !finished(trial);
  }

  static boolean finished(TrainingJob trial) {
    return TrainingJobStatus.finished(trial.getStatus());
  }
}
