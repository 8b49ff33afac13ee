package io.scalesweep.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import io.scalesweep.api.contract.TrainerContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code train} and {@code bench} as a user (or a pod) runs them. A trial that can never succeed
 * must fail at once, with exit code 2 and the field to fix, and write nothing a resume could
 * mistake for progress. Runs that start the DJL engine are in {@link TrainAndBenchIT}: loaded in
 * Quarkus' class loader, libtorch could not be loaded again by the plain tests of this JVM.
 */
@QuarkusMainTest
class TrainCommandTest {

  private static final String SHAPE =
      """
        shape: {encoderLayers: 1, decoderLayers: 1, dModel: 32, dFF: 64, dKV: 8, numHeads: 2,
                vocabSize: 384}
      """;

  private static final String TRIAL =
      """
      apiVersion: scalesweep.io/v1alpha1
      kind: TrainingJob
      metadata: {name: tiny}
      spec:
        code: TINY
      """
          + SHAPE
          + """
            pretrain:
              dataset: {uri: corpus.txt}
              optimizer: adafactor
              steps: 6
              batchSize: 4
              inputLength: 32
              checkpointEvery: 3
              evalBatches: 1
          """;

  @TempDir Path dir;

  @BeforeEach
  void corpus() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      text.append("Document ").append(i).append(": the quick brown fox jumps over the lazy dog.\n");
    }
    Files.writeString(dir.resolve("corpus.txt"), text);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          missing shape | SHAPE | '' | spec.shape
          shape missing a field | 'dModel: 32, ' | '' | spec.shape.dModel
          unknown optimizer | 'optimizer: adafactor' | 'optimizer: lion' | spec.pretrain.optimizer
          missing dataset | '    dataset: {uri: corpus.txt}\\n' | '' | spec.pretrain.dataset
          missing corpus file | 'uri: corpus.txt' | 'uri: none.txt' | spec.pretrain.dataset.uri
          not divisible | 'batchSize: 4' | 'batchSize: 3' | spec.pretrain.gradientAccumulation
          vocabulary too small | 'vocabSize: 384' | 'vocabSize: 300' | spec.shape.vocabSize
          too few sentinels | 'inputLength: 32' | 'inputLength: 4096' | spec.pretrain.inputLength
          heads not divisible | 'numHeads: 2,' | 'numHeads: 2, kvHeads: 3,' | spec.shape.kvHeads
          """)
  void aBadTrialFailsAtOnceWithExitCode2AndNamesTheField(
      String name, String from, String to, String field, QuarkusMainLauncher launcher)
      throws IOException {
    String original = from.equals("SHAPE") ? SHAPE : from.replace("\\n", "\n");
    String manifest =
        TRIAL.replace("evalBatches: 1", "evalBatches: 1\n    gradientAccumulation: 2")
            .replace(original, to);
    assertThat(manifest).isNotEqualTo(TRIAL);
    assertRejected(launcher, manifest, field);
  }

  private static final String FINETUNE =
      """
        finetune:
          tasks:
            - name: parity
              train: {uri: parity-train.jsonl}
              validation: {uri: parity-validation.jsonl}
              inputTemplate: "parity: {bits}"
              targetTemplate: "{answer}"
              metric: accuracy
          steps: 4
          batchSize: 4
      """;

  /**
   * Task definitions are checked whole before the engine starts: a bad one fails as fast as a bad
   * pretraining recipe, naming the task's own field.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          unknown metric | 'metric: accuracy' | 'metric: bleu' | spec.finetune.tasks[0].metric
          template names a missing field | '{bits}' | '{bytes}' | spec.finetune.tasks[0].inputTemplate
          empty validation split | parity-validation.jsonl | empty.jsonl | spec.finetune.tasks[0].validation.uri
          missing train file | parity-train.jsonl | none.jsonl | spec.finetune.tasks[0].train.uri
          missing checkpoint | 'batchSize: 4\n' | 'batchSize: 4\n    checkpoint: no-such-model/\n' | spec.finetune.checkpoint
          """)
  void aBadTaskFailsBeforeTrainingWithExitCode2AndNamesTheTaskField(
      String name, String from, String to, String field, QuarkusMainLauncher launcher)
      throws IOException {
    String records = "{\"bits\": \"0110\", \"answer\": \"even\"}\n";
    Files.writeString(dir.resolve("parity-train.jsonl"), records);
    Files.writeString(dir.resolve("parity-validation.jsonl"), records);
    Files.writeString(dir.resolve("empty.jsonl"), "");
    String manifest = TRIAL + FINETUNE.replace(from.replace("\\n", "\n"), to.replace("\\n", "\n"));
    assertThat(manifest).isNotEqualTo(TRIAL + FINETUNE);
    assertRejected(launcher, manifest, field);
  }

  @Test
  void anUnreadableCorpusFailsWithExitCode2(QuarkusMainLauncher launcher) throws IOException {
    Files.writeString(dir.resolve("corpus.txt.gz"), "not gzip at all\n");
    String trial = TRIAL.replace("uri: corpus.txt", "uri: corpus.txt.gz");
    assertRejected(launcher, trial, "spec.pretrain.dataset.uri");
  }

  @Test
  void anEmptyCorpusFailsWithExitCode2(QuarkusMainLauncher launcher) throws IOException {
    Files.writeString(dir.resolve("corpus.txt"), "\n\n");
    assertRejected(launcher, TRIAL, "spec.pretrain.dataset.uri");
  }

  @Test
  void anUnsupportedOutputSchemeIsRefused(QuarkusMainLauncher launcher) throws IOException {
    LaunchResult result =
        launcher.launch("train", "--trial", write(TRIAL), "--output", "gs://bucket/sweep/trial/");
    assertThat(result.exitCode()).isEqualTo(TrainerContract.EXIT_INVALID_TRIAL);
    assertThat(result.getErrorOutput()).contains("--output", "gs://bucket/sweep/trial/", "s3://");
  }

  @Test
  void helpExplainsOutputsResumeAndExitCodes(QuarkusMainLauncher launcher) {
    LaunchResult result = launcher.launch("train", "--help");
    assertThat(result.exitCode()).isZero();
    assertThat(result.getOutput())
        .contains(
            "Usage: scalesweep train",
            "--trial=FILE",
            "--output=URI",
            "s3://",
            "resume",
            "manifest.json",
            "Exit codes",
            TrainerContract.ENV_EXPECTED_GPUS);
  }

  @Test
  void benchRejectsAnUnknownShapeWithExitCode2(QuarkusMainLauncher launcher) {
    LaunchResult result = launcher.launch("bench", "--shape", "NL2-HUGE");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.getErrorOutput()).contains("unknown base 'HUGE'");
  }

  @ParameterizedTest
  @CsvSource({
    "--precision, bf16, '--precision must be fp32 or mixed-fp16, got bf16'",
    "--device, tpu, '--device must be cpu or gpu, got tpu'",
    "--peak-tflops, 0, '--peak-tflops must be a positive number, got 0.0'",
    "--warmup-seconds, -1, '--warmup-seconds must be 0 or more, got -1.0'",
  })
  void benchRejectsAnUnknownPrecisionDevicePeakOrWarmupWithExitCode2(
      String option, String value, String message, QuarkusMainLauncher launcher) {
    LaunchResult result = launcher.launch("bench", "--shape", "TI", option, value);
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.getErrorOutput()).contains(message);
  }

  private void assertRejected(QuarkusMainLauncher launcher, String manifest, String field)
      throws IOException {
    Path out = dir.resolve("out");
    String trial = write(manifest);
    LaunchResult result = launcher.launch("train", "--trial", trial, "--output", out.toString());

    assertThat(result.exitCode())
        .as(result.getErrorOutput())
        .isEqualTo(TrainerContract.EXIT_INVALID_TRIAL);
    assertThat(result.getErrorOutput()).contains(field).doesNotContain("Exception", "\tat ");
    assertThat(result.getOutput()).isEmpty();
    // Rejected before any engine, model or output work: not even the output folder exists. (A
    // time bound said this once; on a shared build machine it measured the machine.)
    assertThat(out).as("the output folder").doesNotExist();
  }

  private String write(String manifest) throws IOException {
    Path file = dir.resolve("trial.yaml");
    Files.writeString(file, manifest);
    return file.toString();
  }
}
