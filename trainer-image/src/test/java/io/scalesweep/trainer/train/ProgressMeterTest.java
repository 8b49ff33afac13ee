package io.scalesweep.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Logged steps, windowed rates and totals that carry over from earlier attempts. */
class ProgressMeterTest {

  @Test
  void logsTheFirstEveryNthAndTheLastStepWithRatesOverTheWindow() {
    ProgressMeter meter = new ProgressMeter(Phase.PRETRAIN, 25, 10, 1000, 5.0, 0, 0);
    Progress first = meter.record(new StepOutcome(11, 4.0, 0.01f, 1f, 100, 1.0, StepRepair.NONE));
    assertThat(first.logged()).as("first step of an attempt").isTrue();
    Progress p = null;
    for (long step = 12; step <= 20; step++) {
      double loss = step == 20 ? 2.0 : 3.0;
      p = meter.record(new StepOutcome(step, loss, 0.01f, 1f, 100, 0.5, StepRepair.NONE));
      assertThat(p.logged()).isEqualTo(step == 20);
    }
    assertThat(p.meanLoss()).isCloseTo((8 * 3.0 + 2.0) / 9, within(1e-12));
    assertThat(p.tokensPerSecond()).isCloseTo(200, within(1e-9));
    assertThat(p.stepsPerSecond()).isCloseTo(2, within(1e-9));
    assertThat(p.etaSeconds()).isCloseTo(2.5, within(1e-9));
    assertThat(p.trainSeconds()).isCloseTo(5.0 + 1.0 + 9 * 0.5, within(1e-9));
    assertThat(meter.tokens()).isEqualTo(1000 + 10 * 100);
    for (long step = 21; step <= 25; step++) {
      p = meter.record(new StepOutcome(step, 1.0, 0.01f, 1f, 100, 0.5, StepRepair.NONE));
    }
    assertThat(p.logged()).as("last step").isTrue();
  }

  @Test
  void aboutAHundredLinesPerRun() {
    assertThat(ProgressMeter.defaultLogEvery(60)).isEqualTo(1);
    assertThat(ProgressMeter.defaultLogEvery(5000)).isEqualTo(50);
    assertThat(ProgressMeter.defaultLogEvery(524_288)).isEqualTo(100);
  }
}
