package io.scalesweep.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The loss scaler's rules, without an engine. */
class LossScalerTest {

  @Test
  void startsAt2To15AndDoublesAfterTheGrowthIntervalOfGoodUpdates() {
    LossScaler scaler = new LossScaler();
    assertThat(scaler.scale()).isEqualTo(32768f);

    for (int i = 0; i < LossScaler.GROWTH_INTERVAL - 1; i++) {
      scaler.applied();
    }
    assertThat(scaler.scale()).isEqualTo(32768f);
    scaler.applied();
    assertThat(scaler.scale()).isEqualTo(65536f);
    assertThat(scaler.state().goodSteps()).as("counting starts again").isZero();
  }

  @Test
  void anOverflowHalvesTheScaleAndRestartsTheCount() {
    LossScaler scaler = new LossScaler(new LossScaler.State(1024f, 0), 3);
    scaler.applied();
    scaler.applied();

    assertThat(scaler.backOff()).isTrue();
    assertThat(scaler.state()).isEqualTo(new LossScaler.State(512f, 0));
    scaler.applied();
    scaler.applied();
    assertThat(scaler.scale()).as("two good updates since the overflow, not four").isEqualTo(512f);
    scaler.applied();
    assertThat(scaler.scale()).isEqualTo(1024f);
  }

  @Test
  void theScaleNeverBacksOffBelowOne() {
    LossScaler scaler = new LossScaler(new LossScaler.State(2f, 0), 10);
    assertThat(scaler.backOff()).isTrue();
    assertThat(scaler.scale()).isEqualTo(1f);
    assertThat(scaler.backOff()).as("an overflow at scale 1 is not scaling's").isFalse();
    assertThat(scaler.scale()).isEqualTo(1f);
  }

  @Test
  void theScaleNeverGrowsToInfinity() {
    LossScaler scaler = new LossScaler(new LossScaler.State(0x1p127f, 0), 1);
    scaler.applied();
    assertThat(scaler.scale()).isEqualTo(0x1p127f);
  }

  @Test
  void theStateGoesThroughACheckpointsStateJsonUnchanged() throws IOException {
    LossScaler scaler = new LossScaler(new LossScaler.State(4096f, 0), 100);
    for (int i = 0; i < 37; i++) {
      scaler.applied();
    }
    TrainingState state =
        new TrainingState("TI", 37, null, 0, "fp", "adafactor", 1.5, 100, 2.0, 0, 0, 3.0,
            scaler.state());

    TrainingState read = TrainingState.fromJson(state.toJson());

    assertThat(read.lossScale()).isEqualTo(new LossScaler.State(4096f, 37));
    LossScaler resumed = new LossScaler(read.lossScale(), 100);
    LossScaler.State before = scaler.state();
    for (int i = 0; i < 63; i++) {
      scaler.applied();
      resumed.applied();
    }
    assertThat(resumed.state()).isEqualTo(scaler.state()).isNotEqualTo(before);
    assertThat(resumed.scale()).isEqualTo(8192f);
  }

  @Test
  void anFp32CheckpointWritesNoLossScaleAndReadsAsNone() throws IOException {
    TrainingState fp32 = new TrainingState("TI", 1, null, 0, "fp", "adafactor", 1, 1, 1, 0, 0, 1, null);
    String json = new String(fp32.toJson(), java.nio.charset.StandardCharsets.UTF_8);

    assertThat(json).doesNotContain("lossScale");
    assertThat(TrainingState.fromJson(fp32.toJson()).lossScale()).isNull();
  }

  @Test
  void aDamagedStateIsRefused() {
    assertThatThrownBy(() -> new LossScaler.State(0f, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LossScaler.State(Float.NaN, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LossScaler.State(8f, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
