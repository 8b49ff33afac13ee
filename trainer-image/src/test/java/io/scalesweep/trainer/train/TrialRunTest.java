package io.scalesweep.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.cost.FlopCounter;
import io.scalesweep.api.cost.ParamCounter;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole trial in-process: it learns, reports what it measured, and keeps its output tidy. */
class TrialRunTest {

  @TempDir static Path corpusDir;
  @TempDir Path out;

  static Path corpus;

  @BeforeAll
  static void writeCorpus() throws IOException {
    corpus = TinyTrials.corpus(corpusDir, 3000, 1);
  }

  @Test
  void lossFallsClearlyWithinAFewHundredSteps() throws IOException {
    int steps = 300;
    List<Double> losses = new ArrayList<>();
    TrialResult result =
        new TrialRun(TinyTrials.job(corpus.toString(), steps, 1000), new LocalTrialOutput(out))
            .listener(ProgressListener.onStep(p -> losses.add(p.loss())))
            .logEvery(50)
            .run();

    double first = losses.get(0);
    double last =
        losses.subList(steps - 20, steps).stream().mapToDouble(d -> d).average().orElseThrow();
    System.out.printf(
        "loss curve: step 1 %.3f, 50 %.3f, 100 %.3f, 200 %.3f, last-20 mean %.3f; "
            + "negLogPerplexity %.3f; %.0f tokens/s%n",
        first,
        losses.get(49),
        losses.get(99),
        losses.get(199),
        last,
        result.getNegLogPerplexity(),
        result.getTokensPerSecond());
    assertThat(first).as("an untrained byte model is near ln(384)").isBetween(5.0, 7.0);
    assertThat(last).isLessThan(first - 2.5);
    assertThat(result.getNegLogPerplexity()).isGreaterThan(-last - 0.5).isLessThan(0);
    assertThat(result.getFinalLoss()).isEqualTo(losses.get(steps - 1));
    assertThat(result.getSteps()).isEqualTo(steps);
  }

  @Test
  void resultCarriesExactCostsAndMeasuredRatesAndMetricsHaveOneLinePerLoggedStep()
      throws IOException {
    TrainingJob job =
        TinyTrials.job(corpus.toString(), 12, 5, "gradientAccumulation: 2", "maxGradNorm: 1.0");
    TrialResult result = new TrialRun(job, new LocalTrialOutput(out)).logEvery(4).run();

    TrialRecipe recipe = TrialRecipe.of(job.getSpec());
    assertThat(result.getParams()).isEqualTo(ParamCounter.count(recipe.shape()));
    assertThat(result.getFlops())
        .isEqualTo(
            FlopCounter.trainingFlopsPerStep(
                recipe.shape(), 8, 64, recipe.lengths().targetLength()));
    assertThat(result.getTokensPerSecond()).isPositive();
    assertThat(result.getStepsPerSecond()).isPositive();
    assertThat(result.getTokensPerSecond() / result.getStepsPerSecond())
        .as("tokens per step: at most 8 x (64 + targets)")
        // the ratio of two measured rates is exact up to rounding: allow the last bits
        .isBetween(8.0 * 40, 8.0 * (64 + recipe.lengths().targetLength()) * (1 + 1e-9));
    assertThat(result.getWallSeconds())
        .isGreaterThan(result.getSteps() / result.getStepsPerSecond());
    assertThat(result.getDevice()).isEqualTo("cpu()");

    List<String> metrics = Files.readAllLines(out.resolve(StorageLayout.METRICS_FILE));
    assertThat(metrics).hasSize(4); // steps 1, 4, 8, 12
    assertThat(metrics.get(3))
        .contains("\"step\":12", "\"loss\":", "\"tokensPerSecond\":", "\"gradNorm\":");
    assertThat(new CheckpointStore(new LocalTrialOutput(out)).steps())
        .containsExactly(5L, 10L, 12L);
    String json = Files.readString(out.resolve(StorageLayout.RESULT_FILE), StandardCharsets.UTF_8);
    assertThat(json).contains("\"negLogPerplexity\"", "\"params\" : " + result.getParams());
  }
}
