package io.scalesweep.operator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.scalesweep.api.shape.Trial;
import io.scalesweep.api.v1alpha1.FinetuneSpec;
import io.scalesweep.api.v1alpha1.ParetoSet;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.ScalingSweepStatus;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.api.v1alpha1.TrialSummary;
import io.scalesweep.operator.common.Conditions;
import io.scalesweep.operator.common.Json;
import io.scalesweep.operator.testing.Fixtures;
import io.scalesweep.operator.testing.PodStates;
import io.scalesweep.operator.testing.SweepStates;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepStatusAggregatorTest {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  private final ScalingSweep sweep = Fixtures.twelveTrials("dn");
  private final List<Trial> trials = SweepStates.trials(sweep);

  @Test
  void countsTrialsByPhaseIncludingThoseNotCreatedYet() {
    List<TrainingJob> tjs = List.of(done(0, 10, -3.0), tj(1, TrialPhase.Running), tj(2, TrialPhase.Failed));

    ScalingSweepStatus s = aggregate(tjs);

    assertThat(s.getTrials().getTotal()).isEqualTo(12);
    assertThat(s.getTrials().getSucceeded()).isEqualTo(1);
    assertThat(s.getTrials().getRunning()).isEqualTo(1);
    assertThat(s.getTrials().getFailed()).isEqualTo(1);
    assertThat(s.getTrials().getPending()).isEqualTo(9);
    assertThat(s.getObservedGeneration()).isEqualTo(1L);
    assertThat(condition(s, SweepConditions.PROGRESSING).getStatus()).isEqualTo("True");
    assertThat(condition(s, SweepConditions.READY).getStatus()).isEqualTo("False");
  }

  @Test
  void theParetoSetAndBestTrialFollowThePlantedResults() {
    // params: 10 < 20 < 30 < 40; upstream quality: -3.0, -2.0, -2.5 (dominated by the 20), -1.0
    List<TrainingJob> tjs = List.of(done(0, 10, -3.0), done(1, 20, -2.0), done(2, 30, -2.5), done(3, 40, -1.0));

    ScalingSweepStatus s = aggregate(tjs);

    ParetoSet byParams = s.getPareto().stream()
        .filter(p -> p.getQuality().equals("upstream") && p.getCost().equals("params")).findFirst().orElseThrow();
    assertThat(byParams.getCodes()).containsExactly(code(0), code(1), code(3));
    assertThat(s.getBest().getCode()).isEqualTo(code(3));
    assertThat(s.getBest().getMetric()).isEqualTo("upstream");
    assertThat(s.getBest().getValue()).isEqualTo(-1.0);
    assertThat(s.getResults()).extracting(TrialSummary::getCode).containsExactly(code(3), code(1), code(2), code(0));
  }

  @Test
  void downstreamRanksTrialsWhenTheSweepFineTunes() {
    sweep.getSpec().setFinetune(new FinetuneSpec());
    List<TrainingJob> tjs = List.of(done(0, 10, -1.0, 60.0), done(1, 20, -2.0, 80.0));

    ScalingSweepStatus s = aggregate(tjs);

    assertThat(s.getBest().getCode()).isEqualTo(code(1));
    assertThat(s.getBest().getMetric()).isEqualTo("downstream");
    assertThat(s.getPareto()).anySatisfy(p -> assertThat(p.getQuality()).isEqualTo("downstream"));
  }

  @Test
  void fitsPowerLawsFromThreePointsOn() {
    List<TrainingJob> two = List.of(done(0, 1_000_000, -4.0), done(1, 10_000_000, -3.0));
    List<TrainingJob> four = new ArrayList<>(two);
    four.add(done(2, 100_000_000, -2.5));
    four.add(done(3, 1_000_000_000, -2.3));

    assertThat(aggregate(two).getFits()).isNull();
    var fits = aggregate(four).getFits();
    assertThat(fits).singleElement().satisfies(f -> {
      assertThat(f.getQuality()).isEqualTo("upstream");
      assertThat(f.getPoints()).isEqualTo(4);
      assertThat(f.getAlpha()).isNegative();
    });
  }

  @Test
  void endsReadyWhenEveryTrialSucceeded() {
    List<TrainingJob> tjs = new ArrayList<>();
    for (int i = 0; i < trials.size(); i++) {
      tjs.add(done(i, 10L * (i + 1), -3.0 + i * 0.1));
    }

    ScalingSweepStatus s = aggregate(tjs);

    assertThat(condition(s, SweepConditions.READY).getStatus()).isEqualTo("True");
    assertThat(condition(s, SweepConditions.READY).getReason()).isEqualTo(SweepConditions.REASON_SUCCEEDED);
    assertThat(condition(s, SweepConditions.PROGRESSING).getStatus()).isEqualTo("False");
    assertThat(condition(s, SweepConditions.FAILED).getStatus()).isEqualTo("False");
  }

  @Test
  void tooManyFailuresFailTheSweepWithAClearMessage() {
    List<TrainingJob> tjs = List.of(tj(0, TrialPhase.Failed), tj(1, TrialPhase.Failed), tj(2, TrialPhase.Running));

    ScalingSweepStatus s = aggregate(tjs);

    Condition failed = condition(s, SweepConditions.FAILED);
    assertThat(failed.getStatus()).isEqualTo("True");
    assertThat(failed.getReason()).isEqualTo(SweepConditions.REASON_TOO_MANY_FAILED_TRIALS);
    assertThat(failed.getMessage()).contains("2 trials failed").contains("maxFailedTrials (1)");
    assertThat(condition(s, SweepConditions.READY).getStatus()).isEqualTo("False");
    assertThat(condition(s, SweepConditions.PROGRESSING).getStatus()).as("a running trial still finishes").isEqualTo("True");
  }

  @Test
  void anInvalidSpecIsAConditionNamingTheField() {
    sweep.getSpec().setVariants(List.of("NL16-QQ"));

    ScalingSweepStatus s = aggregate(List.of());

    Condition invalid = condition(s, SweepConditions.INVALID_SPEC);
    assertThat(invalid.getStatus()).isEqualTo("True");
    assertThat(invalid.getMessage()).startsWith("spec.variants[0]");
    assertThat(condition(s, SweepConditions.READY).getReason()).isEqualTo(SweepConditions.REASON_INVALID_FIELD);
  }

  @Test
  void suspendedIsReportedAndStopsProgressWhenNothingRuns() {
    sweep.getSpec().setSuspend(true);

    ScalingSweepStatus s = aggregate(List.of(done(0, 10, -3.0)));

    assertThat(condition(s, SweepConditions.SUSPENDED).getStatus()).isEqualTo("True");
    assertThat(condition(s, SweepConditions.PROGRESSING).getStatus()).isEqualTo("False");
  }

  @Test
  void aggregatingTheSameStateAgainGivesAnEqualStatus() {
    List<TrainingJob> tjs = List.of(done(0, 10, -3.0), tj(1, TrialPhase.Running));
    sweep.setStatus(aggregate(tjs));

    ScalingSweepStatus later = SweepStatusAggregator.aggregate(sweep, SweepPlan.of(sweep, tjs), tjs, NOW.plusSeconds(600));

    assertThat(Json.sameJson(sweep.getStatus(), later)).isTrue();
  }

  @Test
  void statusStaysSmallForAThousandTrials() {
    ScalingSweep big = Fixtures.sweep("big", List.of(), List.of());
    big.getSpec().setScaling(null);
    big.getSpec().setIncludeBase(false);
    List<String> variants = new ArrayList<>();
    for (int i = 1; i <= 1000; i++) {
      variants.add("NL" + i + "-SM");
    }
    big.getSpec().setVariants(variants);
    List<Trial> bigTrials = SweepStates.trials(big);
    List<TrainingJob> tjs = new ArrayList<>();
    for (int i = 0; i < bigTrials.size(); i++) {
      // quality rising with size: every trial is on the frontier, the worst case for its length
      tjs.add(SweepStates.trainingJob(big, bigTrials.get(i), TrialPhase.Succeeded,
          PodStates.result(1_000_000L * (i + 1), -5.0 + i * 0.001, null, 1000.0 - i * 0.5)));
    }

    ScalingSweepStatus s = SweepStatusAggregator.aggregate(big, SweepPlan.of(big, tjs), tjs, NOW);

    assertThat(bigTrials).hasSize(1000);
    assertThat(s.getResults()).hasSize(100);
    assertThat(s.getResultsTruncated()).isTrue();
    assertThat(s.getPareto()).allSatisfy(p -> assertThat(p.getCodes()).hasSizeLessThanOrEqualTo(100));
    assertThat(Json.sizeInBytes(s)).isLessThan(64 * 1024);
  }

  @Test
  void stuckTrialsAreNamedInTheSweepsReadyCondition() {
    TrainingJob badImage = tj(0, TrialPhase.Pending);
    badImage.getStatus().setConditions(List.of(new io.fabric8.kubernetes.api.model.ConditionBuilder()
        .withType(io.scalesweep.operator.trainingjob.TrainingJobConditions.READY).withStatus("False")
        .withReason("ImagePullBackOff").withMessage("pod x: ImagePullBackOff").build()));
    TrainingJob creating = tj(1, TrialPhase.Pending);

    ScalingSweepStatus s = aggregate(List.of(badImage, creating, tj(2, TrialPhase.Running)));

    assertThat(condition(s, SweepConditions.READY).getMessage())
        .isEqualTo("0 of 12 trials succeeded, 1 running, 0 failed; 1 stuck: " + trials.get(0).name()
            + " (ImagePullBackOff) (see their conditions)");
  }

  @Test
  void aSpentFailureBudgetOrAnInvalidSpecIsStalledForFluxWhileRunningTrialsAreNot() {
    ScalingSweepStatus running = aggregate(List.of(tj(0, TrialPhase.Running)));
    ScalingSweepStatus failing = aggregate(List.of(tj(0, TrialPhase.Failed), tj(1, TrialPhase.Failed)));
    sweep.getSpec().setStorage(null);
    ScalingSweepStatus invalid = aggregate(List.of());

    assertThat(condition(running, SweepConditions.STALLED).getStatus()).isEqualTo("False");
    assertThat(condition(failing, SweepConditions.STALLED).getStatus()).isEqualTo("True");
    assertThat(condition(failing, SweepConditions.STALLED).getReason())
        .isEqualTo(SweepConditions.REASON_TOO_MANY_FAILED_TRIALS);
    assertThat(condition(invalid, SweepConditions.STALLED).getStatus()).isEqualTo("True");
    assertThat(condition(invalid, SweepConditions.STALLED).getReason()).isEqualTo(SweepConditions.REASON_INVALID_FIELD);
    assertThat(condition(invalid, SweepConditions.STALLED).getMessage()).contains("spec.storage.uri");
  }

  private ScalingSweepStatus aggregate(List<TrainingJob> tjs) {
    return SweepStatusAggregator.aggregate(sweep, SweepPlan.of(sweep, tjs), tjs, NOW);
  }

  private TrainingJob tj(int i, TrialPhase phase) {
    return SweepStates.trainingJob(sweep, trials.get(i), phase, null);
  }

  private TrainingJob done(int i, long params, double negLogPerplexity) {
    return done(i, params, negLogPerplexity, null);
  }

  private TrainingJob done(int i, long params, double negLogPerplexity, Double downstream) {
    return SweepStates.trainingJob(sweep, trials.get(i), TrialPhase.Succeeded,
        PodStates.result(params, negLogPerplexity, downstream, 1000.0));
  }

  private String code(int i) {
    return trials.get(i).code();
  }

  private static Condition condition(ScalingSweepStatus s, String type) {
    return Conditions.find(s.getConditions(), type);
  }
}
