package io.scalesweep.operator.testing;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.scalesweep.api.shape.SweepExpander;
import io.scalesweep.api.shape.Trial;
import io.scalesweep.api.shape.TrialSpecs;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobStatus;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.api.v1alpha1.TrialResult;
import java.util.List;

/** TrainingJobs of a sweep in chosen phases, as the sweep reconciler would find them in its cache. */
public final class SweepStates {

  private SweepStates() {}

  public static List<Trial> trials(ScalingSweep sweep) {
    return SweepExpander.expand(sweep.getMetadata().getName(), sweep.getSpec());
  }

  public static TrainingJob trainingJob(ScalingSweep sweep, Trial trial, TrialPhase phase, TrialResult result) {
    TrainingJob tj = new TrainingJob();
    tj.setMetadata(new ObjectMetaBuilder().withName(trial.name()).withNamespace(sweep.getMetadata().getNamespace()).build());
    tj.setSpec(TrialSpecs.of(sweep.getMetadata().getName(), sweep.getSpec(), trial));
    if (phase != null) {
      TrainingJobStatus status = new TrainingJobStatus();
      status.setPhase(phase);
      status.setResult(result);
      tj.setStatus(status);
    }
    return tj;
  }
}
