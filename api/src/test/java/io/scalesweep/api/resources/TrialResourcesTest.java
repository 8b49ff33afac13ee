package io.scalesweep.api.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.cost.ParamCounter;
import io.scalesweep.api.cost.StepCost;
import io.scalesweep.api.resources.TrialResources.Resolved;
import io.scalesweep.api.shape.BaseSize;
import io.scalesweep.api.shape.Shape;
import io.scalesweep.api.v1alpha1.PretrainSpec;
import io.scalesweep.api.v1alpha1.ResourcesSpec;
import io.scalesweep.api.v1alpha1.ShapeResourceRule;
import io.scalesweep.api.v1alpha1.SweepResourcesSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrialResourcesTest {

  private static final Shape SMALL = BaseSize.SMALL.shape();
  private static final Shape BASE = BaseSize.BASE.shape();
  private static final Shape LARGE = BaseSize.LARGE.shape();
  private static final PretrainSpec PRETRAIN = new PretrainSpec();

  @Test
  void withoutRulesEveryTrialGetsTheSweepsResourcesUnchanged() {
    SweepResourcesSpec sweep = defaults();
    sweep.setNodeSelector(Map.of("pool", "gpu"));

    ResourcesSpec small = TrialResources.of(sweep, PRETRAIN, SMALL);
    ResourcesSpec large = TrialResources.of(sweep, PRETRAIN, LARGE);

    assertThat(small).usingRecursiveComparison().isEqualTo(large);
    assertThat(small.getGpus()).isEqualTo(1);
    assertThat(small.getMemory()).isEqualTo("64Gi");
    assertThat(small.getNodeSelector()).containsExactly(Map.entry("pool", "gpu"));
    assertThat(small).isExactlyInstanceOf(ResourcesSpec.class);
  }

  @Test
  void noResourcesStayNone() {
    assertThat(TrialResources.of(null, PRETRAIN, SMALL)).isNull();
  }

  @Test
  void theFirstRuleWhoseParameterBoundTheTrialIsWithinWins() {
    SweepResourcesSpec sweep = defaults();
    // Bounds at exactly small's and base's counts: the bound is inclusive.
    sweep.setByShape(List.of(
        byParams(ParamCounter.count(SMALL), 1, null),
        byParams(ParamCounter.count(BASE), 4, "256Gi")));

    assertThat(TrialResources.resolve(sweep, PRETRAIN, SMALL).rule()).isZero();
    Resolved base = TrialResources.resolve(sweep, PRETRAIN, BASE);
    assertThat(base.rule()).isEqualTo(1);
    assertThat(base.resources().getGpus()).isEqualTo(4);
    assertThat(base.resources().getMemory()).isEqualTo("256Gi");
    assertThat(base.resources().getCpu()).as("not in the rule: the sweep's").isEqualTo("8");
  }

  @Test
  void aTrialAboveEveryBoundGetsTheDefault() {
    SweepResourcesSpec sweep = defaults();
    sweep.setGpus(8);
    sweep.setByShape(List.of(byParams(ParamCounter.count(BASE), 2, "128Gi")));

    Resolved large = TrialResources.resolve(sweep, PRETRAIN, LARGE);

    assertThat(large.rule()).isEqualTo(-1);
    assertThat(large.resources().getGpus()).isEqualTo(8);
    assertThat(large.resources().getMemory()).isEqualTo("64Gi");
  }

  @Test
  void flopBoundsUseTheRecipesBatchAndLengths() {
    SweepResourcesSpec sweep = defaults();
    long smallFlops = StepCost.of(PRETRAIN).flops(SMALL);
    ShapeResourceRule rule = new ShapeResourceRule();
    rule.setMaxFlopsPerStep(smallFlops);
    rule.setGpus(2);
    sweep.setByShape(List.of(rule));

    assertThat(TrialResources.of(sweep, PRETRAIN, SMALL).getGpus()).isEqualTo(2);
    assertThat(TrialResources.of(sweep, PRETRAIN, BASE).getGpus()).isEqualTo(1);

    // FLOPs per step scale with the batch: at an eighth of it base fits under small's full-batch bound.
    PretrainSpec smallBatch = new PretrainSpec();
    smallBatch.setBatchSize(StepCost.of(PRETRAIN).batchSize() / 8);
    assertThat(StepCost.of(smallBatch).flops(BASE)).isLessThanOrEqualTo(smallFlops);
    assertThat(TrialResources.of(sweep, smallBatch, BASE).getGpus()).isEqualTo(2);
  }

  @Test
  void aRulesNodeSelectorReplacesTheSweepsAndTheSweepsIsNotChanged() {
    SweepResourcesSpec sweep = defaults();
    sweep.setNodeSelector(Map.of("pool", "gpu"));
    ShapeResourceRule rule = byParams(ParamCounter.count(LARGE), 8, null);
    rule.setNodeSelector(Map.of("gpu.product", "H100"));
    sweep.setByShape(List.of(rule));

    assertThat(TrialResources.of(sweep, PRETRAIN, LARGE).getNodeSelector()).containsExactly(Map.entry("gpu.product", "H100"));
    assertThat(sweep.getNodeSelector()).containsExactly(Map.entry("pool", "gpu"));
    assertThat(sweep.getGpus()).isEqualTo(1);
  }

  @Test
  void invalidRulesAreRefusedNamingTheField() {
    SweepResourcesSpec sweep = defaults();
    sweep.setByShape(List.of(byParams(2_000, 1, null), byParams(1_000, 2, null)));

    assertThatThrownBy(() -> TrialResources.of(sweep, PRETRAIN, SMALL))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
          assertThat(e.field()).isEqualTo("spec.resources.byShape[1].maxParams");
          assertThat(e.getMessage()).contains("must be greater than spec.resources.byShape[0].maxParams (2000)");
        });
  }

  private static SweepResourcesSpec defaults() {
    SweepResourcesSpec r = new SweepResourcesSpec();
    r.setGpus(1);
    r.setCpu("8");
    r.setMemory("64Gi");
    return r;
  }

  static ShapeResourceRule byParams(long max, int gpus, String memory) {
    ShapeResourceRule r = new ShapeResourceRule();
    r.setMaxParams(max);
    r.setGpus(gpus);
    r.setMemory(memory);
    return r;
  }

}
