package io.scalesweep.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalesweep.api.recipe.SpanLengths;
import org.junit.jupiter.api.Test;

/** What a trial trains with, derived once; and which changes make its checkpoints foreign. */
class TrialRecipeTest {

  @Test
  void derivesMicroBatchesAndTheT5TargetLength() {
    TrialRecipe recipe =
        TrialRecipe.of(TinyTrials.job("c.txt", 60, 10, "gradientAccumulation: 4").getSpec());
    assertThat(recipe.microBatch()).isEqualTo(2);
    assertThat(recipe.accumulation()).isEqualTo(4);
    assertThat(recipe.lengths()).isEqualTo(SpanLengths.forInputLength(64, 0.15, 3.0));
    assertThat(recipe.pipelineConfig().batchSize()).isEqualTo(2);
    assertThat(recipe.shape().kvHeads()).as("defaults to numHeads").isEqualTo(4);
  }

  @Test
  void theFingerprintIgnoresHowLongAndHowOftenButNotWhatIsTrained() {
    String base = TrialRecipe.of(TinyTrials.job("c.txt", 60, 10).getSpec()).fingerprint();
    assertThat(fingerprint(TinyTrials.job("c.txt", 600, 25, "evalBatches: 9"))).isEqualTo(base);
    assertThat(fingerprint(TinyTrials.job("c.txt", 60, 10, "seed: 8"))).isNotEqualTo(base);
    assertThat(fingerprint(TinyTrials.job("d.txt", 60, 10))).isNotEqualTo(base);
    assertThat(fingerprint(TinyTrials.job("c.txt", 60, 10, "learningRate: 0.001")))
        .isNotEqualTo(base);
    assertThat(fingerprint(TinyTrials.job("c.txt", 60, 10, "gradientAccumulation: 2")))
        .isNotEqualTo(base);
    assertThat(fingerprint(TinyTrials.job("c.txt", 60, 10, "precision: mixed-fp16")))
        .isNotEqualTo(base);
  }

  @Test
  void fp32IsTheDefaultAndLeavesTheFingerprintAsBeforeTheSettingExisted() {
    TrialRecipe recipe = TrialRecipe.of(TinyTrials.job("c.txt", 60, 10).getSpec());
    assertThat(recipe.precision()).isEqualTo(io.scalesweep.api.v1alpha1.Precision.FP32);
    assertThat(fingerprint(TinyTrials.job("c.txt", 60, 10, "precision: fp32")))
        .isEqualTo(recipe.fingerprint());
    recipe.pretrain().setPrecision(null);
    assertThat(recipe.fingerprint()).as("a spec from before the field").isEqualTo(
        fingerprint(TinyTrials.job("c.txt", 60, 10)));
  }

  private static String fingerprint(io.scalesweep.api.v1alpha1.TrainingJob job) {
    return TrialRecipe.of(job.getSpec()).fingerprint();
  }
}
