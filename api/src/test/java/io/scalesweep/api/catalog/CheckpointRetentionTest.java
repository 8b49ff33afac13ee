package io.scalesweep.api.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalesweep.api.v1alpha1.KeepCheckpoints;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointRetentionTest {

  private static final String PREFIX = "sw/t1/checkpoints/";
  // step-100 sorts before step-20 as a string: the newest must be found numerically
  private static final List<String> KEYS = List.of(
      PREFIX + "step-100/manifest.json", PREFIX + "step-100/model.params",
      PREFIX + "step-20/manifest.json", PREFIX + "step-20/model.params",
      PREFIX + "step-150/model.params", // incomplete: its writer died
      PREFIX + "notes.txt", PREFIX + "other/x");

  @Test
  void finalKeepsTheNewestCompleteCheckpointAndDiscardsEveryOtherStepFolder() {
    var plan = CheckpointRetention.plan(KeepCheckpoints.FINAL, PREFIX, KEYS, false);
    assertThat(plan.kept()).isEqualTo(PREFIX + "step-100/");
    assertThat(plan.discard()).containsExactly(PREFIX + "step-20/", PREFIX + "step-150/");
  }

  @Test
  void allKeepsEverythingAndReportsTheNewest() {
    var plan = CheckpointRetention.plan(KeepCheckpoints.ALL, PREFIX, KEYS, false);
    assertThat(plan.kept()).isEqualTo(PREFIX + "step-100/");
    assertThat(plan.discard()).isEmpty();
  }

  @Test
  void paretoKeepsTheNewestOfFrontierTrialsOnlyAndNothingOfOthers() {
    assertThat(CheckpointRetention.plan(KeepCheckpoints.PARETO, PREFIX, KEYS, true).kept()).isEqualTo(PREFIX + "step-100/");
    var off = CheckpointRetention.plan(KeepCheckpoints.PARETO, PREFIX, KEYS, false);
    assertThat(off.kept()).isNull();
    assertThat(off.discard()).containsExactlyInAnyOrder(PREFIX + "step-20/", PREFIX + "step-100/", PREFIX + "step-150/");
  }

  @Test
  void aPrunedTrialNeedsNothingMoreAndObjectsOutsideStepFoldersAreNeverTouched() {
    var plan = CheckpointRetention.plan(KeepCheckpoints.FINAL, PREFIX,
        List.of(PREFIX + "step-100/manifest.json", PREFIX + "step-100/model.params", PREFIX + "notes.txt"), false);
    assertThat(plan.discard()).isEmpty();
    assertThat(CheckpointRetention.plan(KeepCheckpoints.FINAL, PREFIX, List.of(), false))
        .isEqualTo(new CheckpointRetention.Plan(null, List.of()));
  }
}
