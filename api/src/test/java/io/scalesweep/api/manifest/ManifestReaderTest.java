package io.scalesweep.api.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.shape.BaseSize;
import io.scalesweep.api.shape.ScalingOp;
import io.scalesweep.api.v1alpha1.Optimizer;
import io.scalesweep.api.v1alpha1.Precision;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {

  private static final String SWEEP =
      """
      apiVersion: scalesweep.io/v1alpha1
      kind: ScalingSweep
      metadata: {name: deepnarrow}
      spec:
        base: small
        scaling:
          - {op: NL, values: [8, 16]}
        pretrain:
          dataset: {uri: corpus.txt}
      """;

  @Test
  void readsASweepAndAppliesSchemaDefaults() {
    ScalingSweep sweep = ManifestReader.parse(SWEEP, ScalingSweep.class);

    assertThat(sweep.getMetadata().getName()).isEqualTo("deepnarrow");
    assertThat(sweep.getSpec().getBase()).isEqualTo(BaseSize.SMALL);
    assertThat(sweep.getSpec().getScaling().get(0).getOp()).isEqualTo(ScalingOp.NL);
    assertThat(sweep.getSpec().getParallelism()).isEqualTo(4);
    assertThat(sweep.getSpec().getIncludeBase()).isTrue();
    assertThat(sweep.getSpec().getPretrain().getSteps()).isEqualTo(524288);
    assertThat(sweep.getSpec().getPretrain().getOptimizer()).isEqualTo(Optimizer.ADAFACTOR);
    assertThat(sweep.getSpec().getPretrain().getPrecision()).isEqualTo(Precision.FP32);
    assertThat(sweep.getSpec().getPretrain().getDataset().getTextField()).isEqualTo("text");
    assertThat(sweep.getSpec().getPretrain().getTargetLength()).as("derived later, no default").isNull();
  }

  @Test
  void relativeDataPathsAreRelativeToTheManifest(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sweeps/sweep.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, SWEEP.replace("{uri: corpus.txt}", "{uri: ../data/corpus.txt}\n    validation: {uri: 's3://b/v.txt'}"));

    ScalingSweep sweep = ManifestReader.readSweep(file);

    assertThat(sweep.getSpec().getPretrain().getDataset().getUri()).isEqualTo(dir.resolve("data/corpus.txt").toString());
    assertThat(sweep.getSpec().getPretrain().getValidation().getUri()).isEqualTo("s3://b/v.txt");
  }

  @Test
  void unknownBaseNamesTheFieldAndTheAllowedValues() {
    assertRejected(SWEEP.replace("base: small", "base: huge"), "spec.base", "'huge'", "tiny, mini, small");
  }

  @Test
  void precisionIsOneOfTheTwoSpellings() {
    ScalingSweep mixed =
        ManifestReader.parse(
            SWEEP.replace("dataset: {uri: corpus.txt}", "dataset: {uri: corpus.txt}\n    precision: mixed-fp16"),
            ScalingSweep.class);
    assertThat(mixed.getSpec().getPretrain().getPrecision()).isEqualTo(Precision.MIXED_FP16);
    assertRejected(
        SWEEP.replace("dataset: {uri: corpus.txt}", "dataset: {uri: corpus.txt}\n    precision: bf16"),
        "spec.pretrain.precision", "'bf16' is not allowed", "fp32, mixed-fp16");
  }

  @Test
  void unknownOperatorIsRejected() {
    assertRejected(SWEEP.replace("op: NL", "op: XX"), "spec.scaling[0].op", "'XX'", "NL, EL, DL");
  }

  @Test
  void misspeltFieldIsRejectedRatherThanIgnored() {
    assertRejected(SWEEP.replace("base: small", "base: small\n  paralelism: 3"), "spec.paralelism", "not a known field", "parallelism");
  }

  @Test
  void schemaMinimumIsEnforced() {
    assertRejected(SWEEP.replace("base: small", "base: small\n  parallelism: 0"), "spec.parallelism", "at least 1", "got 0");
  }

  @Test
  void exclusiveMinimumIsEnforced() {
    assertRejected(SWEEP.replace("{uri: corpus.txt}", "{uri: corpus.txt}\n    learningRate: 0"), "spec.pretrain.learningRate", "greater than 0");
  }

  @Test
  void requiredNestedFieldIsNamed() {
    assertRejected(SWEEP.replace("dataset: {uri: corpus.txt}", "dataset: {textField: body}"), "spec.pretrain.dataset.uri", "is required");
  }

  @Test
  void patternIsEnforced() {
    assertRejected(SWEEP + "  storage: {uri: 'ftp://x'}\n", "spec.storage.uri", "'ftp://x' is not allowed", "s3://");
  }

  @Test
  void malformedYamlSaysWhere() {
    assertRejected(SWEEP.replace("scaling:", "scaling: [unclosed"), "file", "malformed YAML", "line");
  }

  @Test
  void wrongKindIsRejected() {
    assertThatThrownBy(() -> ManifestReader.parse(SWEEP, TrainingJob.class))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("expected kind TrainingJob")
        .hasMessageContaining("'ScalingSweep'");
  }

  @Test
  void wrongTypeNamesTheField() {
    assertRejected(SWEEP.replace("values: [8, 16]", "values: [8, lots]"), "spec.scaling[0].values[1]", "'lots'");
  }

  private static void assertRejected(String manifest, String field, String... fragments) {
    assertThatThrownBy(() -> ManifestReader.parse(manifest, ScalingSweep.class))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.getMessage()).contains(fragments);
        });
  }
}
