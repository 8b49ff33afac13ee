package io.scalesweep.operator.trainingjob;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.operator.config.AdmissionPolicy;

/**
 * A Job is created only for a valid trial that the cluster's admission policy allows and that has
 * not finished: should someone delete the Job of a finished trial, it must not be trained again.
 */
public class TrialRunnableCondition implements Condition<Job, TrainingJob> {

  @Override
  public boolean isMet(DependentResource<Job, TrainingJob> dependent, TrainingJob trial, Context<TrainingJob> context) {
    // JOSDK builds conditions itself; the policy comes with the Job dependent it guards.
    return isRunnable(trial, ((TrialJobDependentResource) dependent).settings().policy());
  }

  static boolean isRunnable(TrainingJob trial, AdmissionPolicy policy) {
    var status = trial.getStatus();
    boolean finished = status != null && status.getPhase() != null && status.getPhase().isFinished();
    return !finished && TrialValidation.problem(trial, policy).isEmpty();
  }
}
