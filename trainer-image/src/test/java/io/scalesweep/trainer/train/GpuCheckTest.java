package io.scalesweep.trainer.train;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Promised GPUs must be visible; without a promise the CPU is fine. */
class GpuCheckTest {

  @Test
  void fewerGpusThanPromisedRefusesLoudly() {
    assertThatThrownBy(() -> GpuCheck.require("2", () -> 1))
        .isInstanceOf(GpuCheck.MissingGpuException.class)
        .hasMessageContaining("NO GPU")
        .hasMessageContaining("expects 2 GPU(s)")
        .hasMessageContaining("sees 1");
  }

  @Test
  void noPromiseOrAPromiseKeptPasses() {
    assertThatCode(() -> GpuCheck.require(null, () -> 0)).doesNotThrowAnyException();
    assertThatCode(() -> GpuCheck.require("0", () -> 0)).doesNotThrowAnyException();
    assertThatCode(() -> GpuCheck.require(" 1 ", () -> 1)).doesNotThrowAnyException();
  }

  @Test
  void aGarbledPromiseIsNotReadAsNone() {
    assertThatThrownBy(() -> GpuCheck.require("one", () -> 8)).hasMessageContaining("not a number");
  }
}
