package io.scalesweep.operator.trainingjob;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.scalesweep.api.v1alpha1.TrainingJob;

/**
 * A Job is created only for a valid trial that has not finished: should someone delete the Job
 * of a finished trial, it must not be trained again.
 */
public class TrialRunnableCondition implements Condition<Job, TrainingJob> {

  @Override
  public boolean isMet(DependentResource<Job, TrainingJob> dependent, TrainingJob trial, Context<TrainingJob> context) {
    return isRunnable(trial);
  }

  static boolean isRunnable(TrainingJob trial) {
    var status = trial.getStatus();
    boolean finished = status != null && status.getPhase() != null && status.getPhase().isFinished();
    return !finished && TrialValidation.problem(trial).isEmpty();
  }
}
