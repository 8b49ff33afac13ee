package io.scalesweep.operator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.operator.common.Labels;
import io.scalesweep.operator.testing.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepTrainingJobsDependentResourceTest {

  @Test
  void eachTrialToLaunchBecomesATrainingJobWithTheSweepsRecipe() {
    ScalingSweep sweep = Fixtures.claimed(Fixtures.twelveTrials("dn"));
    sweep.getSpec().setImage("mine/trainer:dev");

    Map<ResourceID, TrainingJob> desired =
        SweepTrainingJobsDependentResource.desired(sweep, SweepPlan.of(sweep, List.of()));

    assertThat(desired).hasSize(3);
    TrainingJob nl2 = desired.get(new ResourceID("dn-nl2-sm", Fixtures.NAMESPACE));
    assertThat(nl2.getSpec().getCode()).isEqualTo("NL2-SM");
    assertThat(nl2.getSpec().getSweep()).isEqualTo("dn");
    assertThat(nl2.getSpec().getShape().getEncoderLayers()).isEqualTo(2);
    assertThat(nl2.getSpec().getShape().getDecoderLayers()).isEqualTo(2);
    assertThat(nl2.getSpec().getMaxRetries()).isEqualTo(2);
    assertThat(nl2.getSpec().getImage()).isEqualTo("mine/trainer:dev");
    assertThat(nl2.getSpec().getStorage().getUri()).isEqualTo("s3://sweeps/");
    assertThat(nl2.getMetadata().getLabels()).containsEntry("scalesweep.io/sweep", "dn");
    assertThat(desired.values())
        .extracting(tj -> tj.getMetadata().getAnnotations().get(Labels.RECIPE_HASH))
        .as("one hash per trial: the shapes differ")
        .doesNotHaveDuplicates()
        .allSatisfy(hash -> assertThat(hash).hasSize(64));
    TrainingJob again = SweepTrainingJobsDependentResource.desired(sweep, SweepPlan.of(sweep, List.of()))
        .get(new ResourceID("dn-nl2-sm", Fixtures.NAMESPACE));
    assertThat(again.getMetadata().getAnnotations()).isEqualTo(nl2.getMetadata().getAnnotations());
    again.getSpec().getPretrain().setLearningRate(0.5);
    assertThat(SweepTrainingJobs.recipeHash(again))
        .as("another learning rate, another recipe")
        .isNotEqualTo(nl2.getMetadata().getAnnotations().get(Labels.RECIPE_HASH));
  }

  @Test
  void theDesiredTrainingJobsDoNotShareStateWithTheSweep() {
    ScalingSweep sweep = Fixtures.claimed(Fixtures.twelveTrials("dn"));

    TrainingJob first = SweepTrainingJobsDependentResource.desired(sweep, SweepPlan.of(sweep, List.of()))
        .values().iterator().next();
    first.getSpec().getPretrain().setSteps(1);

    assertThat(sweep.getSpec().getPretrain().getSteps()).isEqualTo(1000);
  }
}
