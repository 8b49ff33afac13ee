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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    // only logged steps read their loss back (the others leave it on the device)
    Map<Long, Progress> logged = new HashMap<>();
    TrialResult result =
        new TrialRun(TinyTrials.job(corpus.toString(), steps, 1000), new LocalTrialOutput(out))
            .listener(ProgressListener.onStep(p -> {
              if (p.logged()) {
                logged.put(p.step(), p);
              }
            }))
            .logEvery(50)
            .run();

    double first = logged.get(1L).loss();
    // the mean over steps 251 to 300
    double last = logged.get((long) steps).meanLoss();
    System.out.printf(
        "loss curve: step 1 %.3f, 50 %.3f, 100 %.3f, 200 %.3f, last-50 mean %.3f; "
            + "negLogPerplexity %.3f; %.0f tokens/s%n",
        first,
        logged.get(50L).loss(),
        logged.get(100L).loss(),
        logged.get(200L).loss(),
        last,
        result.getNegLogPerplexity(),
        result.getTokensPerSecond());
    assertThat(first).as("an untrained byte model is near ln(384)").isBetween(5.0, 7.0);
    assertThat(last).isLessThan(first - 2.5);
    assertThat(result.getNegLogPerplexity()).isGreaterThan(-last - 0.5).isLessThan(0);
    assertThat(result.getFinalLoss()).isEqualTo(logged.get((long) steps).loss());
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
