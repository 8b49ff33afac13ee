package io.scalesweep.operator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalesweep.api.shape.Trial;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.operator.storage.SweepGathering;
import io.scalesweep.operator.testing.Fixtures;
import io.scalesweep.operator.testing.SweepStates;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepPlanTest {

  private final ScalingSweep sweep = Fixtures.claimed(Fixtures.twelveTrials("dn"));
  private final List<Trial> trials = SweepStates.trials(sweep);

  @Test
  void launchesTheFirstTrialsUpToParallelism() {
    SweepPlan plan = SweepPlan.of(sweep, List.of());

    assertThat(plan.trials()).hasSize(12);
    assertThat(plan.toLaunch()).extracting(Trial::name).containsExactly("dn-sm", "dn-nl2-sm", "dn-nl4-sm");
    assertThat(plan.notCreated()).isEqualTo(12);
  }

  @Test
  void unfinishedTrialsTakeSlotsAndFinishedOnesFreeThem() {
    List<TrainingJob> existing = List.of(
        tj(0, TrialPhase.Succeeded), tj(1, TrialPhase.Running), tj(2, null), tj(3, TrialPhase.Pending));

    SweepPlan plan = SweepPlan.of(sweep, existing);

    assertThat(plan.unfinished()).isEqualTo(3);
    assertThat(plan.toLaunch()).isEmpty();

    List<TrainingJob> oneMoreDone = new ArrayList<>(existing);
    oneMoreDone.set(1, tj(1, TrialPhase.Succeeded));
    assertThat(SweepPlan.of(sweep, oneMoreDone).toLaunch()).extracting(Trial::name).containsExactly(trials.get(4).name());
  }

  @Test
  void existingTrialsAreNeverLaunchedAgain() {
    List<TrainingJob> existing = List.of(tj(0, TrialPhase.Succeeded), tj(2, TrialPhase.Succeeded));

    SweepPlan plan = SweepPlan.of(sweep, existing);

    assertThat(plan.toLaunch()).extracting(Trial::name)
        .containsExactly(trials.get(1).name(), trials.get(3).name(), trials.get(4).name());
    assertThat(plan.notCreated()).isEqualTo(10);
  }

  @Test
  void trialsWaitUntilTheOperatorHasLookedAtTheSweepsFolderInStorage() {
    ScalingSweep unclaimed = Fixtures.twelveTrials("dn");

    assertThat(SweepPlan.of(unclaimed, List.of()).toLaunch()).isEmpty();
  }

  @Test
  void aFolderOfAnotherSweepLaunchesNothingWhileAStoreThatCannotBeReachedDoesNotHoldTrialsBack() {
    ScalingSweep foreign = Fixtures.twelveTrials("dn");
    foreign.setStatus(new io.scalesweep.api.v1alpha1.ScalingSweepStatus());
    foreign.getStatus().setConditions(List.of(storageOwned(false, SweepGathering.REASON_OWNED_BY_ANOTHER)));
    ScalingSweep unreachable = Fixtures.twelveTrials("dn");
    unreachable.setStatus(new io.scalesweep.api.v1alpha1.ScalingSweepStatus());
    unreachable.getStatus().setConditions(List.of(storageOwned(false, SweepGathering.REASON_STORAGE_ERROR)));

    assertThat(SweepPlan.of(foreign, List.of()).toLaunch()).isEmpty();
    assertThat(SweepPlan.of(unreachable, List.of()).toLaunch()).hasSize(3);
  }

  private static io.fabric8.kubernetes.api.model.Condition storageOwned(boolean owned, String reason) {
    return new io.fabric8.kubernetes.api.model.ConditionBuilder().withType(SweepGathering.STORAGE_OWNED)
        .withStatus(owned ? "True" : "False").withReason(reason).build();
  }

  @Test
  void suspendedSweepsLaunchNothing() {
    sweep.getSpec().setSuspend(true);

    SweepPlan plan = SweepPlan.of(sweep, List.of(tj(0, TrialPhase.Running)));

    assertThat(plan.suspended()).isTrue();
    assertThat(plan.toLaunch()).isEmpty();
  }

  @Test
  void stopsLaunchingOnlyWhenMoreThanMaxFailedTrialsFailed() {
    // the fixture allows one failed trial
    SweepPlan oneFailed = SweepPlan.of(sweep, List.of(tj(0, TrialPhase.Failed)));
    SweepPlan twoFailed = SweepPlan.of(sweep, List.of(tj(0, TrialPhase.Failed), tj(1, TrialPhase.Failed)));

    assertThat(oneFailed.tooManyFailures()).isFalse();
    assertThat(oneFailed.toLaunch()).hasSize(3);
    assertThat(twoFailed.tooManyFailures()).isTrue();
    assertThat(twoFailed.toLaunch()).isEmpty();
  }

  @Test
  void anInvalidSpecLaunchesNothingAndNamesTheField() {
    sweep.getSpec().getScaling().get(0).setValues(List.of(0));

    SweepPlan plan = SweepPlan.of(sweep, List.of());

    assertThat(plan.invalid()).isPresent();
    assertThat(plan.invalid().get().field()).startsWith("spec.scaling[0]");
    assertThat(plan.toLaunch()).isEmpty();
  }

  /** The CEL rules refuse this at admission; a sweep stored before them still gets InvalidSpec. */
  @Test
  void overlappingShapeRulesLaunchNothingAndNameTheRule() {
    io.scalesweep.api.v1alpha1.ShapeResourceRule big = new io.scalesweep.api.v1alpha1.ShapeResourceRule();
    big.setMaxParams(2_000_000_000L);
    big.setGpus(8);
    io.scalesweep.api.v1alpha1.ShapeResourceRule small = new io.scalesweep.api.v1alpha1.ShapeResourceRule();
    small.setMaxParams(100_000_000L);
    small.setGpus(1);
    sweep.getSpec().getResources().setByShape(List.of(big, small));

    SweepPlan plan = SweepPlan.of(sweep, List.of());

    assertThat(plan.invalid().orElseThrow().field()).isEqualTo("spec.resources.byShape[1].maxParams");
    assertThat(plan.toLaunch()).isEmpty();
  }

  @Test
  void aSweepWithoutStorageCannotRunInACluster() {
    sweep.getSpec().setStorage(null);

    SweepPlan plan = SweepPlan.of(sweep, List.of());

    assertThat(plan.invalid().orElseThrow().field()).isEqualTo("spec.storage.uri");
    assertThat(plan.toLaunch()).isEmpty();
  }

  @Test
  void missingFailurePolicyAndParallelismUseTheSchemaDefaults() {
    sweep.getSpec().setFailurePolicy(null);
    sweep.getSpec().setParallelism(null);

    SweepPlan plan = SweepPlan.of(sweep, List.of(tj(0, TrialPhase.Failed), tj(1, TrialPhase.Failed)));

    // defaults: parallelism 4, maxFailedTrials 2 (two failures are still within budget)
    assertThat(plan.tooManyFailures()).isFalse();
    assertThat(plan.toLaunch()).hasSize(4);
  }

  private TrainingJob tj(int index, TrialPhase phase) {
    return SweepStates.trainingJob(sweep, trials.get(index), phase, null);
  }
}
