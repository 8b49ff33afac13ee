package io.scalesweep.operator.trainingjob;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.scalesweep.api.contract.TrainerContract;
import io.scalesweep.api.manifest.ManifestReader;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.operator.testing.Fixtures;
import org.junit.jupiter.api.Test;

class TrialConfigMapDependentResourceTest {

  @Test
  void theTrialFileIsATrainingJobTheTrainersManifestReaderAccepts() {
    TrainingJob trial = Fixtures.trainingJob("deepnarrow-nl16-sm");
    trial.getMetadata().setResourceVersion("42");

    ConfigMap cm = TrialConfigMapDependentResource.desired(trial);
    String json = cm.getData().get(TrainerContract.TRIAL_FILE);

    TrainingJob read = ManifestReader.parse(json, TrainingJob.class);
    assertThat(read.getMetadata().getName()).isEqualTo("deepnarrow-nl16-sm");
    assertThat(read.getSpec().getCode()).isEqualTo("NL16-SM");
    assertThat(read.getSpec().getShape().getEncoderLayers()).isEqualTo(16);
    assertThat(json).doesNotContain("resourceVersion").doesNotContain("\"status\"");
  }

  @Test
  void isNamedAfterTheTrialAndLabelledAsTrainerConfig() {
    TrainingJob trial = Fixtures.trainingJob("deepnarrow-nl16-sm");

    ConfigMap cm = TrialConfigMapDependentResource.desired(trial);

    assertThat(cm.getMetadata().getName()).isEqualTo("deepnarrow-nl16-sm-trial");
    assertThat(cm.getMetadata().getNamespace()).isEqualTo(Fixtures.NAMESPACE);
    assertThat(cm.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "scalesweep-operator");
    assertThat(cm.getImmutable()).as("every attempt reads the recipe the first one read").isTrue();
  }
}
