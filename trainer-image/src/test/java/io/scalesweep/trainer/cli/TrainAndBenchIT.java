package io.scalesweep.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scalesweep.api.cost.ParamCounter;
import io.scalesweep.api.shape.BaseSize;
import io.scalesweep.api.shape.Variant;
import io.scalesweep.trainer.PackagedApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged {@code train} and {@code bench} doing real (tiny) work. */
class TrainAndBenchIT {

  @TempDir Path dir;

  @Test
  void aTinyTrialTrainsPrintsItsResultAndWritesTheTerminationMessage() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      text.append("Document ").append(i).append(": the quick brown fox jumps over the lazy dog.\n");
    }
    Files.writeString(dir.resolve("corpus.txt"), text);
    Files.writeString(
        dir.resolve("trial.yaml"),
        """
        apiVersion: scalesweep.io/v1alpha1
        kind: TrainingJob
        metadata: {name: tiny}
        spec:
          code: TINY
          shape: {encoderLayers: 1, decoderLayers: 1, dModel: 32, dFF: 64, dKV: 8, numHeads: 2,
                  vocabSize: 384}
          pretrain:
            dataset: {uri: corpus.txt}
            steps: 6
            batchSize: 4
            inputLength: 32
            checkpointEvery: 3
            evalBatches: 1
        """);
    Path out = dir.resolve("out");
    Path termination = dir.resolve("termination-log");

    Path logs = dir.resolve("train");
    // run from the module folder: the corpus is found beside the manifest
    Process train =
        PackagedApp.start(
            logs,
            Map.of("SCALESWEEP_TERMINATION_LOG", termination.toString()),
            "train", "--trial", dir.resolve("trial.yaml").toString(),
            "--output", out.toUri().toString());
    assertThat(train.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String stderr = Files.readString(PackagedApp.stderr(logs));
    assertThat(train.exitValue()).as(stderr).isZero();

    JsonNode printed = new ObjectMapper().readTree(PackagedApp.stdout(logs).toFile());
    assertThat(printed.get("steps").asLong()).isEqualTo(6);
    assertThat(printed.get("negLogPerplexity").asDouble()).isNegative();
    assertThat(new ObjectMapper().readTree(termination.toFile())).isEqualTo(printed);
    assertThat(new ObjectMapper().readTree(out.resolve("result.json").toFile())).isEqualTo(printed);
    assertThat(stderr).contains("step 6/6", "checkpoint step 3 complete", "held-out:", "done:");
    assertThat(out.resolve("checkpoints/step-3/manifest.json")).exists();
    assertThat(out.resolve("checkpoints/step-6/model.safetensors")).exists();
  }

  @Test
  void benchMeasuresAVariantAndReportsRatesAndFlops() throws Exception {
    JsonNode json = new ObjectMapper().readTree(bench("bench", "-o", "json").toFile());
    assertThat(json.get("shape").asText()).isEqualTo("NL1-DM32-FF64-KV8-NH2-TI");
    assertThat(json.get("threads").asInt()).isEqualTo(1);
    assertThat(json.get("tokensPerSecond").asDouble() / json.get("stepsPerSecond").asDouble())
        .isCloseTo(2 * (16 + 8), within(1e-6));
    assertThat(json.get("gflopsPerSecond").asDouble()).isPositive();
    Variant variant = Variant.parse("NL1-DM32-FF64-KV8-NH2-TI");
    assertThat(json.get("params").asLong())
        .isEqualTo(ParamCounter.count(variant.shape(BaseSize.TINY.shape().withVocabSize(384))));
  }

  @Test
  void benchWarmsUpForTheGivenSecondsOnTopOfItsStepsAndSaysHowManyItTook() throws Exception {
    JsonNode json =
        new ObjectMapper().readTree(bench("warm", "--warmup-seconds", "1", "-o", "json").toFile());
    // a step of this model takes milliseconds: one second of warm-up is many more than --warmup 1
    assertThat(json.get("warmup").asInt()).isGreaterThan(1);
    assertThat(json.get("steps").asInt()).isEqualTo(2);
    assertThat(json.get("tokensPerSecond").asDouble()).isPositive();
  }

  @Test
  void benchInMixedFp16OnTheCpuReportsMfuAgainstTheGivenPeakAndNoneWithout() throws Exception {
    JsonNode json =
        new ObjectMapper()
            .readTree(
                bench("mixed", "--device", "cpu", "--precision", "mixed-fp16", "--peak-tflops",
                        "0.5", "-o", "json")
                    .toFile());
    assertThat(json.get("precision").asText()).isEqualTo("mixed-fp16");
    assertThat(json.get("deviceName").asText()).isEqualTo("cpu");
    assertThat(json.get("peakTflops").asDouble()).isEqualTo(0.5);
    assertThat(json.get("peakSource").asText()).isEqualTo("--peak-tflops");
    assertThat(json.get("mfu").asDouble())
        .isCloseTo(json.get("gflopsPerSecond").asDouble() / 500, within(1e-12));
    assertThat(json.get("skippedSteps").asInt()).isZero();
    assertThat(json.get("tokensPerSecond").asDouble()).isPositive();

    assertThat(Files.readString(bench("table", "--device", "cpu")))
        .contains("tokens/s", "fp32")
        .contains("MFU        n/a: no peak is known for a CPU; give its peak with --peak-tflops");
  }

  /** Runs the packaged bench on a tiny variant with {@code options}; returns its stdout file. */
  private Path bench(String name, String... options) throws Exception {
    Path logs = dir.resolve(name);
    List<String> args =
        new ArrayList<>(
            List.of(
                "bench", "--shape", "NL1-DM32-FF64-KV8-NH2-TI", "--vocab", "384", "--batch", "2",
                "--input-length", "16", "--target-length", "8", "--warmup", "1", "--steps", "2",
                "--threads", "1"));
    args.addAll(List.of(options));
    Process bench = PackagedApp.start(logs, Map.of(), args.toArray(String[]::new));
    assertThat(bench.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(bench.exitValue()).as(Files.readString(PackagedApp.stderr(logs))).isZero();
    return PackagedApp.stdout(logs);
  }
}
