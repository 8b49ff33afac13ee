package io.scalesweep.operator.sweep;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.scalesweep.api.shape.Trial;
import io.scalesweep.api.shape.TrialSpecs;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.operator.common.Hashes;
import io.scalesweep.operator.common.Json;
import io.scalesweep.operator.common.KubeNames;
import io.scalesweep.operator.common.Labels;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The TrainingJob of one trial of a sweep: its name comes from the trial, its spec from TrialSpecs. */
final class SweepTrainingJobs {

  private SweepTrainingJobs() {}

  static TrainingJob desired(ScalingSweep sweep, Trial trial) {
    String sweepName = sweep.getMetadata().getName();
    TrainingJob tj = new TrainingJob();
    tj.setMetadata(new ObjectMetaBuilder()
        .withName(trial.name())
        .withNamespace(sweep.getMetadata().getNamespace())
        .withLabels(Map.of(
            Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE,
            Labels.SWEEP, KubeNames.labelValue(sweepName)))
        .build());
    tj.setSpec(TrialSpecs.of(sweepName, sweep.getSpec(), trial));
    tj.getMetadata().setAnnotations(Map.of(Labels.RECIPE_HASH, recipeHash(tj)));
    return tj;
  }

  /** SHA-256 of the TrainingJob's spec as JSON: equal specs, equal hashes. */
  static String recipeHash(TrainingJob tj) {
    return Hashes.sha256(Json.write(tj.getSpec()).getBytes(StandardCharsets.UTF_8));
  }
}
