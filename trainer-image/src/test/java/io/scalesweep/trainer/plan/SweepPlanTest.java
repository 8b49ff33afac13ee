package io.scalesweep.trainer.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.scalesweep.api.catalog.CatalogEntry;
import io.scalesweep.api.catalog.SweepCatalog;
import io.scalesweep.api.cost.ParamCounter;
import io.scalesweep.api.manifest.ManifestReader;
import io.scalesweep.api.shape.BaseSize;
import io.scalesweep.api.shape.Shape;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.api.v1alpha1.TrialResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepPlanTest {

  /** Small on CPU, base on 2 GPUs at 40k tok/s/GPU, large on the default 8 at 30k. */
  private static final String SWEEP = """
      apiVersion: scalesweep.io/v1alpha1
      kind: ScalingSweep
      metadata: {name: tiers}
      spec:
        base: small
        variants: [BA, LG]
        pretrain: {dataset: {uri: corpus.txt}, steps: 1000, batchSize: 64, inputLength: 512}
        resources:
          gpus: 8
          tokensPerSecondPerGpu: 30000
          byShape:
            - {maxParams: %d, gpus: 0}
            - {maxParams: %d, gpus: 2, tokensPerSecondPerGpu: 40000}
      """.formatted(ParamCounter.count(BaseSize.SMALL.shape()), ParamCounter.count(BaseSize.BASE.shape()));

  private static final ScalingSweep SWEEP_MANIFEST = ManifestReader.parse(SWEEP, ScalingSweep.class);

  @Test
  void eachTrialGetsItsRulesGpusAndTheFigureItsRuleOrTheSweepGives() {
    SweepPlan plan = SweepPlan.of(SWEEP_MANIFEST);
    double tokens = 1000.0 * plan.tokensPerStep();

    assertThat(plan.tokensPerStep()).isEqualTo(64L * (512 + plan.lengths().targetLength()));
    assertThat(plan.rows()).extracting(SweepPlan.Row::gpus).containsExactly(0, 2, 8);
    assertThat(plan.rows()).extracting(SweepPlan.Row::rule).containsExactly(0, 1, -1);
    assertThat(plan.rows()).extracting(r -> r.gpuHours().source())
        .containsExactly(GpuHours.Source.CPU, GpuHours.Source.RULE, GpuHours.Source.DEFAULT);
    assertThat(plan.rows().get(0).gpuHours().hours()).isZero();
    assertThat(plan.rows().get(1).gpuHours().hours()).isCloseTo(tokens / 40000 / 3600, within(1e-9));
    assertThat(plan.rows().get(2).gpuHours().hours()).isCloseTo(tokens / 30000 / 3600, within(1e-9));
    assertThat(plan.totalGpuHours()).isCloseTo(tokens / 40000 / 3600 + tokens / 30000 / 3600, within(1e-9));
    assertThat(plan.trialsWithoutEstimate()).isZero();
  }

  @Test
  void aMeasuredThroughputOfTheSameShapeWinsOverTheManifestsFigure() {
    Shape large = SweepPlan.of(SWEEP_MANIFEST).rows().get(2).trial().shape();
    SweepPlan plan = SweepPlan.of(SWEEP_MANIFEST, catalog(large, 12_000.0));
    double tokens = 1000.0 * plan.tokensPerStep();

    GpuHours hours = plan.rows().get(2).gpuHours();
    assertThat(hours.source()).isEqualTo(GpuHours.Source.MEASURED);
    // 12k tok/s for the whole trial on its 8 GPUs.
    assertThat(hours.hours()).isCloseTo(tokens / 12_000 * 8 / 3600, within(1e-9));
    assertThat(plan.rows().get(1).gpuHours().source()).as("base did not run").isEqualTo(GpuHours.Source.RULE);
  }

  @Test
  void withoutAnyFigureTheTrialIsNotCountedAndSaysSo() {
    String noFigures = SWEEP.replace("    tokensPerSecondPerGpu: 30000\n", "").replace(", tokensPerSecondPerGpu: 40000", "");
    SweepPlan plan = SweepPlan.of(ManifestReader.parse(noFigures, ScalingSweep.class));

    assertThat(plan.rows()).extracting(r -> r.gpuHours().hours()).containsExactly(0.0, null, null);
    assertThat(plan.trialsWithoutEstimate()).isEqualTo(2);
    assertThat(plan.totalGpuHours()).isZero();
    assertThat(SweepPlanPrinter.table(plan)).contains("not counted: 2 trials on GPUs without a throughput");
    String none = SweepPlanPrinter.table(SweepPlan.of(ManifestReader.parse(noFigures.replace("gpus: 0", "gpus: 1"), ScalingSweep.class)));
    assertThat(none).contains("GPU-hours of pretraining: not estimated; set resources.tokensPerSecondPerGpu");
  }

  @Test
  void aSweepWithoutResourcesPlansOneGpuPerTrialAsTheSchemaDefaults() {
    String plain = SWEEP.substring(0, SWEEP.indexOf("  resources:"));
    SweepPlan plan = SweepPlan.of(ManifestReader.parse(plain, ScalingSweep.class));

    assertThat(plan.rows()).extracting(SweepPlan.Row::gpus).containsOnly(1);
    assertThat(plan.rows()).extracting(SweepPlan.Row::rule).containsOnly(-1);
  }

  private static SweepCatalog catalog(Shape shape, double tokensPerSecond) {
    TrialResult result = new TrialResult();
    result.setTokensPerSecond(tokensPerSecond);
    CatalogEntry e = new CatalogEntry("old-lg", "LG", shape, TrialPhase.Succeeded, 0, 0, result, null, null, null);
    return new SweepCatalog("old", null, List.of(e), null, null);
  }
}
