package io.scalesweep.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long run must hold a flat number of live arrays: one array left behind per step would, over the
 * paper's 2^19 steps, exhaust any GPU. Counted over the whole engine (the system manager sees every
 * manager below it), checkpoints and gradient accumulation included.
 */
class PretrainMemoryTest {

  @TempDir Path dir;

  @Test
  void liveArrayCountStaysFlatOver200Steps() throws IOException {
    Path corpus = TinyTrials.corpus(dir, 800, 2);
    NDManager system;
    try (NDManager probe = NDManager.newBaseManager()) {
      system = probe.getParentManager();
    }
    int before = system.getManagedArrays().size();
    List<Integer> live = new ArrayList<>();
    new TrialRun(
            TinyTrials.job(
                corpus.toString(), 200, 50, "gradientAccumulation: 2", "maxGradNorm: 0.5"),
            new LocalTrialOutput(dir.resolve("out")))
        .listener(ProgressListener.onStep(p -> live.add(system.getManagedArrays().size())))
        .run();

    System.out.printf(
        "live arrays: %d before the run, %d after step 1, %d after step 2, %d after step 200,"
            + " %d after the run%n",
        before, live.get(0), live.get(1), live.get(199), system.getManagedArrays().size());
    // 47 parameters in the model, and the optimizer's moments: the count really sees them
    assertThat(live.get(0) - before).isGreaterThan(47);
    // after the first update has created every optimizer slot, nothing grows
    assertThat(live.subList(1, 200)).containsOnly(live.get(1));
    assertThat(system.getManagedArrays()).as("all freed at the end").hasSize(before);
  }
}
