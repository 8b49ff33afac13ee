package io.scalesweep.api.shape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scalesweep.api.manifest.ManifestReader;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.ShapeSpec;
import io.scalesweep.api.v1alpha1.TrainingJobSpec;
import org.junit.jupiter.api.Test;

class TrialSpecsTest {

  private static final ScalingSweep SWEEP =
      ManifestReader.parse(
          """
          apiVersion: scalesweep.io/v1alpha1
          kind: ScalingSweep
          metadata: {name: s}
          spec:
            base: tiny
            scaling: [{op: SH, values: [1]}]
            pretrain: {dataset: {uri: corpus.txt}, steps: 50}
            failurePolicy: {maxRetries: 5}
          """,
          ScalingSweep.class);

  @Test
  void trialSpecCarriesShapeCodeAndACopyOfTheRecipe() {
    Trial trial = SweepExpander.expand("s", SWEEP.getSpec()).get(1);

    TrainingJobSpec spec = TrialSpecs.of("s", SWEEP.getSpec(), trial);

    assertThat(spec.getCode()).isEqualTo("SH1-TI");
    assertThat(TrialSpecs.toShape(spec.getShape(), "spec.shape")).isEqualTo(trial.shape());
    assertThat(spec.getPretrain().getSteps()).isEqualTo(50);
    assertThat(spec.getPretrain()).as("a copy, not the sweep's object").isNotSameAs(SWEEP.getSpec().getPretrain());
    assertThat(spec.getMaxRetries()).isEqualTo(5);
    assertThat(spec.getSweep()).isEqualTo("s");
  }

  @Test
  void missingShapeFieldIsNamed() {
    ShapeSpec s = TrialSpecs.toSpec(BaseSize.TINY.shape());
    s.setDModel(null);
    assertThatThrownBy(() -> TrialSpecs.toShape(s, "spec.shape"))
        .isInstanceOfSatisfying(ShapeException.class, e -> assertThat(e.field()).isEqualTo("spec.shape.dModel"));
  }

  @Test
  void invalidShapeNamesTheNestedField() {
    ShapeSpec s = TrialSpecs.toSpec(BaseSize.TINY.shape());
    s.setKvHeads(3);
    assertThatThrownBy(() -> TrialSpecs.toShape(s, "spec.shape"))
        .isInstanceOfSatisfying(ShapeException.class, e -> {
          assertThat(e.field()).isEqualTo("spec.shape.kvHeads");
          assertThat(e.getMessage()).contains("kvHeads must divide numHeads");
        });
  }
}
