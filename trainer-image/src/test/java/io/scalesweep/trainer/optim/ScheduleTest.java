package io.scalesweep.trainer.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.scalesweep.api.v1alpha1.PretrainSpec;
import org.junit.jupiter.api.Test;

class ScheduleTest {

  @Test
  void t5ScheduleIsOneOverSqrtOfMaxStepAndTenThousand() {
    InverseSqrtSchedule t5 = InverseSqrtSchedule.t5();
    for (long step : new long[] {1, 5000, 10_000, 10_001, 40_000, 524_288}) {
      double expected = 1 / Math.sqrt(Math.max(step, 10_000));
      assertThat((double) t5.at(step)).isCloseTo(expected, within(1e-8));
    }
    assertThat(t5.at(40_000)).isCloseTo(0.005f, within(1e-9f));
  }

  @Test
  void linearWarmupRisesToThePeakThenDecaysTheSameWay() {
    InverseSqrtSchedule s = new InverseSqrtSchedule(0.01, 10_000, true);
    assertThat(s.at(1)).isCloseTo(1e-6f, within(1e-12f));
    assertThat(s.at(5000)).isCloseTo(0.005f, within(1e-9f));
    assertThat(s.at(10_000)).isCloseTo(0.01f, within(1e-9f));
    assertThat(s.at(40_000)).isEqualTo(InverseSqrtSchedule.t5().at(40_000));
  }

  @Test
  void zeroWarmupIsPlainInverseSqrt() {
    InverseSqrtSchedule s = new InverseSqrtSchedule(0.5, 0, false);
    assertThat(s.at(1)).isEqualTo(0.5f);
    assertThat(s.at(100)).isCloseTo(0.05f, within(1e-9f));
  }

  @Test
  void constantForFineTuningAndRecipeDefaults() {
    assertThat(new ConstantSchedule(1e-3).at(123_456)).isEqualTo(1e-3f);
    PretrainSpec spec = new PretrainSpec();
    assertThat(Optimizers.pretrainSchedule(spec)).isEqualTo(InverseSqrtSchedule.t5());
    spec.setLearningRate(0.02);
    spec.setWarmupSteps(100);
    assertThat(Optimizers.pretrainSchedule(spec).at(400)).isCloseTo(0.01f, within(1e-9f));
  }
}
