package io.scalesweep.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import io.scalesweep.api.cost.ParamCounter;
import io.scalesweep.api.shape.BaseSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code plan} command as a user runs it: real process entry point, exit codes and output. */
@QuarkusMainTest
class PlanCommandTest {

  private static final String SWEEP =
      """
      apiVersion: scalesweep.io/v1alpha1
      kind: ScalingSweep
      metadata: {name: deepnarrow}
      spec:
        base: small
        overrides: {vocabSize: 32128}
        scaling:
          - {op: NL, values: [16, 24]}
        variants: [BA]
        pretrain:
          dataset: {uri: corpus.txt}
          batchSize: 128
          inputLength: 512
      """;

  @TempDir Path dir;

  @Test
  void tablePrintsEveryTrialWithExactParamsAndTotals(QuarkusMainLauncher launcher) throws IOException {
    LaunchResult result = launcher.launch("plan", write(SWEEP));

    assertThat(result.exitCode()).isZero();
    assertThat(result.getOutput())
        .contains("4 trials", "512 input / 114 target tokens")
        .contains("deepnarrow-sm", "deepnarrow-nl16-sm", "deepnarrow-nl24-sm", "deepnarrow-ba")
        .contains("60,506,624", "222,903,552")
        .contains("Total: 4 trials");
  }

  @Test
  void jsonListsTrialsWithShapeParamsAndFlops(QuarkusMainLauncher launcher) throws IOException {
    LaunchResult result = launcher.launch("plan", write(SWEEP), "--output", "json");

    assertThat(result.exitCode()).isZero();
    JsonNode trials = new ObjectMapper().readTree(result.getOutput()).get("trials");
    assertThat(trials).hasSize(4);
    JsonNode base = trials.get(3);
    assertThat(base.get("code").asText()).isEqualTo("BA");
    assertThat(base.get("params").asLong()).isEqualTo(ParamCounter.count(BaseSize.BASE.shape()));
    assertThat(base.get("shape").get("dModel").asInt()).isEqualTo(768);
    // The paper: Small 16L costs 63.1% of Base's FLOPs.
    double ratio = trials.get(1).get("flops").asDouble() / base.get("flops").asDouble();
    assertThat(ratio).isBetween(0.60, 0.66);
  }

  @Test
  void printsEachTrialsGpusAndTheSweepsGpuHoursWithTheFigureUsed(QuarkusMainLauncher launcher) throws IOException {
    String tiers = SWEEP.replace("inputLength: 512\n", "inputLength: 512\n"
        + "    steps: 100000\n"
        + "  resources:\n"
        + "    gpus: 4\n"
        + "    byShape:\n"
        + "      - {maxParams: 100000000, gpus: 1, tokensPerSecondPerGpu: 50000}\n");
    Path catalog = dir.resolve("catalog.json");
    Files.writeString(catalog, """
        {"sweep": "earlier", "trials": [{"name": "earlier-ba", "code": "BA", "phase": "Succeeded", "params": 1, "flops": 1,
          "shape": %s, "result": {"tokensPerSecond": 25000.0}}]}
        """.formatted(new ObjectMapper().writeValueAsString(
            new ObjectMapper().readTree(launcher.launch("plan", write(SWEEP), "-o", "json").getOutput()).get("trials").get(3).get("shape"))));

    LaunchResult result = launcher.launch("plan", write(tiers), "--catalog", catalog.toString());

    assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
    String out = result.getOutput();
    String small = out.lines().filter(l -> l.startsWith("SM ")).findFirst().orElseThrow();
    String base = out.lines().filter(l -> l.startsWith("BA ")).findFirst().orElseThrow();
    // 100,000 steps x 128 x (512 + 114) tokens: at 50k tok/s/GPU 44.5 GPU-hours; at a measured
    // 25k tok/s on the default 4 GPUs 356.1.
    assertThat(small).contains("byShape[0]", "44.5", "50,000 tok/s/GPU (rule)");
    assertThat(base).contains("default", "356.1", "25,000 tok/s measured (catalog)");
    assertThat(out).contains("GPU-hours of pretraining: ", "100,000 steps x 80,128 tokens per step");
  }

  @Test
  void overlappingShapeRulesExitWith2NamingTheRule(QuarkusMainLauncher launcher) throws IOException {
    String overlapping = SWEEP.replace("inputLength: 512\n", "inputLength: 512\n"
        + "  resources:\n"
        + "    byShape:\n"
        + "      - {maxParams: 200000000, gpus: 2}\n"
        + "      - {maxParams: 100000000, gpus: 1}\n");
    assertInvalid(launcher, overlapping, "spec.resources.byShape[1].maxParams must be greater than");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          unknown base           | base: small                  | base: huge                          | spec.base
          unknown operator       | variants: [BA]               | variants: [XX16-SM]                 | spec.variants[0]
          zero size              | '{op: NL, values: [16, 24]}' | '{op: NL, values: [0]}'             | spec.scaling[0].values
          negative size          | '{op: NL, values: [16, 24]}' | '{op: FF, values: [-4]}'            | spec.scaling[0].values
          empty values           | '{op: NL, values: [16, 24]}' | '{op: NL, values: []}'              | spec.scaling[0].values
          kvHeads not dividing   | '{vocabSize: 32128}'         | '{vocabSize: 32128, kvHeads: 3}'    | spec.overrides.kvHeads
          zero override          | '{vocabSize: 32128}'         | '{vocabSize: 0}'                    | spec.overrides.vocabSize
          """)
  void invalidSweepsExitWith2AndNameTheField(String name, String from, String to, String field, QuarkusMainLauncher launcher) throws IOException {
    assertInvalid(launcher, SWEEP.replace(from.replace("'", ""), to.replace("'", "")), field);
  }

  @Test
  void malformedYamlExitsWith2(QuarkusMainLauncher launcher) throws IOException {
    assertInvalid(launcher, SWEEP.replace("scaling:", "scaling: [oops"), "malformed YAML");
  }

  @Test
  void sweepExpandingToNothingExitsWith2(QuarkusMainLauncher launcher) throws IOException {
    String empty = SWEEP.replace("  scaling:\n    - {op: NL, values: [16, 24]}\n", "").replace("variants: [BA]", "includeBase: false");
    assertInvalid(launcher, empty, "no trials");
  }

  @Test
  void missingFileExitsWith2(QuarkusMainLauncher launcher) {
    LaunchResult result = launcher.launch("plan", dir.resolve("nope.yaml").toString());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.getErrorOutput()).contains("no such file");
  }

  @Test
  void helpDescribesTheCommand(QuarkusMainLauncher launcher) {
    LaunchResult result = launcher.launch("plan", "--help");
    assertThat(result.exitCode()).isZero();
    assertThat(result.getOutput()).contains("Usage: scalesweep plan", "--output", "table or json");
  }

  private void assertInvalid(QuarkusMainLauncher launcher, String manifest, String expected) throws IOException {
    LaunchResult result = launcher.launch("plan", write(manifest));
    assertThat(result.exitCode()).as(result.getErrorOutput()).isEqualTo(2);
    assertThat(result.getErrorOutput()).contains(expected).doesNotContain("Exception", "\tat ");
    assertThat(result.getOutput()).isEmpty();
  }

  private String write(String manifest) throws IOException {
    Path file = Files.createTempFile(dir, "sweep", ".yaml");
    Files.writeString(file, manifest);
    return file.toString();
  }
}
