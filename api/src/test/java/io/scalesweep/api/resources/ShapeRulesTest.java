package io.scalesweep.api.resources;

import static io.scalesweep.api.resources.TrialResourcesTest.byParams;
import static org.assertj.core.api.Assertions.assertThat;

import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.v1alpha1.ShapeResourceRule;
import io.scalesweep.api.v1alpha1.SweepResourcesSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShapeRulesTest {

  @Test
  void orderedRulesOfOneMeasureAreValidAndNoneIsValid() {
    assertThat(ShapeRules.problem(null)).isEmpty();
    assertThat(ShapeRules.problem(new SweepResourcesSpec())).isEmpty();
    assertThat(ShapeRules.problem(rules(byParams(100, 1, null), byParams(200, 2, null)))).isEmpty();
    assertThat(ShapeRules.problem(rules(byFlops(100, 1), byFlops(101, 8)))).isEmpty();
  }

  @Test
  void equalBoundsOverlap() {
    assertThat(field(rules(byFlops(100, 1), byFlops(100, 2)))).isEqualTo("spec.resources.byShape[1].maxFlopsPerStep");
  }

  @Test
  void mixedMeasuresAreRefused() {
    InvalidSpecException e = ShapeRules.problem(rules(byParams(100, 1, null), byFlops(200, 2))).orElseThrow();
    assertThat(e.field()).isEqualTo("spec.resources.byShape[1].maxParams");
    assertThat(e.getMessage()).contains("all maxParams or all maxFlopsPerStep");
  }

  @Test
  void aRuleNeedsExactlyOneBoundAndItsGpus() {
    ShapeResourceRule both = byParams(100, 1, null);
    both.setMaxFlopsPerStep(100L);
    assertThat(field(rules(both))).isEqualTo("spec.resources.byShape[0]");
    assertThat(field(rules(new ShapeResourceRule()))).isEqualTo("spec.resources.byShape[0]");
    assertThat(field(rules(byParams(100, 1, null), byParams(200, -1, null)))).isEqualTo("spec.resources.byShape[1].gpus");
  }

  @Test
  void tooManyRules() {
    List<ShapeResourceRule> many = new ArrayList<>();
    for (int i = 0; i <= SweepResourcesSpec.MAX_RULES; i++) {
      many.add(byParams(i + 1, 1, null));
    }
    assertThat(field(rules(many.toArray(ShapeResourceRule[]::new)))).isEqualTo("spec.resources.byShape");
  }

  @Test
  void matchIsTheFirstRuleTheCostIsWithin() {
    SweepResourcesSpec r = rules(byParams(100, 1, null), byParams(200, 2, null), byParams(300, 4, null));
    assertThat(ShapeRules.match(r, 1, Long.MAX_VALUE)).isZero();
    assertThat(ShapeRules.match(r, 100, 0)).isZero();
    assertThat(ShapeRules.match(r, 101, 0)).isEqualTo(1);
    assertThat(ShapeRules.match(r, 300, 0)).isEqualTo(2);
    assertThat(ShapeRules.match(r, 301, 0)).isEqualTo(-1);
    assertThat(ShapeRules.match(rules(byFlops(50, 1)), Long.MAX_VALUE, 50)).as("by FLOPs, params ignored").isZero();
    assertThat(ShapeRules.match(new SweepResourcesSpec(), 1, 1)).isEqualTo(-1);
  }

  private static String field(SweepResourcesSpec r) {
    return ShapeRules.problem(r).orElseThrow().field();
  }

  private static SweepResourcesSpec rules(ShapeResourceRule... rules) {
    SweepResourcesSpec r = new SweepResourcesSpec();
    List<ShapeResourceRule> list = new ArrayList<>();
    Collections.addAll(list, rules);
    r.setByShape(list);
    return r;
  }

  private static ShapeResourceRule byFlops(long max, int gpus) {
    ShapeResourceRule r = new ShapeResourceRule();
    r.setMaxFlopsPerStep(max);
    r.setGpus(gpus);
    return r;
  }
}
