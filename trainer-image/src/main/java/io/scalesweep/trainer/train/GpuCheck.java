package io.scalesweep.trainer.train;

import ai.djl.engine.Engine;
import io.scalesweep.api.contract.TrainerContract;

/**
 * Refuses to train on the CPU when the pod was promised GPUs: DJL quietly falls back to the CPU
 * when it cannot load CUDA, and a trial that should take hours would take weeks.
 */
public final class GpuCheck {

  /** The GPUs a pod was promised are not visible; retrying on another node may help. */
  public static final class MissingGpuException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    MissingGpuException(String message) {
      super(message);
    }
  }

  private GpuCheck() {}

  /** Checks {@link TrainerContract#ENV_EXPECTED_GPUS} against the engine's GPU count. */
  public static void requireExpectedGpus() {
    require(
        System.getenv(TrainerContract.ENV_EXPECTED_GPUS), () -> Engine.getInstance().getGpuCount());
  }

  /** Visible for tests: the rule without the environment and the engine. */
  static void require(String expectedText, java.util.function.IntSupplier visible) {
    if (expectedText == null || expectedText.isBlank()) {
      return;
    }
    int expected;
    try {
      expected = Integer.parseInt(expectedText.trim());
    } catch (NumberFormatException e) {
      throw new MissingGpuException(
          TrainerContract.ENV_EXPECTED_GPUS + "=" + expectedText + " is not a number");
    }
    if (expected <= 0) {
      return;
    }
    int found = visible.getAsInt();
    if (found < expected) {
      throw new MissingGpuException(
          "NO GPU: this pod expects "
              + expected
              + " GPU(s) ("
              + TrainerContract.ENV_EXPECTED_GPUS
              + ") but the engine sees "
              + found
              + "; refusing to train on the CPU. Check the CUDA"
              + " libraries (PYTORCH_LIBRARY_PATH, PYTORCH_FLAVOR) and the node's device plugin.");
    }
  }
}
