package io.scalesweep.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.scalesweep.trainer.tasks.SyntheticTasks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long run must hold a flat number of live arrays: one array left behind per step would, over the
 * paper's 2^19 steps, exhaust any GPU. Counted over the whole engine (the system manager sees every
 * manager below it), checkpoints, gradient accumulation, fine-tuning and decoding included.
 */
class TrainingMemoryTest {

  @TempDir Path dir;

  @Test
  void liveArrayCountStaysFlatOver200Steps() throws IOException {
    Path corpus = TinyTrials.corpus(dir, 800, 2);
    NDManager system = systemManager();
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

  @Test
  void fineTuningHoldsAFlatCountAndDecodingFreesEverything() throws IOException {
    Path corpus = TinyTrials.corpus(dir, 200, 3);
    SyntheticTasks.Splits tasks = SyntheticTasks.generate("boolexpr", 3, 400, 40);
    Path train = Files.write(dir.resolve("train.jsonl"), tasks.train());
    Path validation = Files.write(dir.resolve("validation.jsonl"), tasks.validation());
    NDManager system = systemManager();
    int before = system.getManagedArrays().size();
    List<Integer> live = new ArrayList<>();
    new TrialRun(
            TinyTrials.finetuneJob(
                corpus.toString(),
                5,
                "tasks:",
                "  - {name: boolexpr, train: {uri: " + train + "}, validation: {uri: " + validation
                    + "}, inputTemplate: '{expression}', targetTemplate: '{label}', metric: accuracy}",
                "steps: 100",
                "batchSize: 8",
                "inputLength: 128",
                "targetLength: 8",
                "checkpointEvery: 40"),
            new LocalTrialOutput(dir.resolve("out")))
        .listener(
            ProgressListener.onStep(
                p -> {
                  if (p.phase() == Phase.FINETUNE) {
                    live.add(system.getManagedArrays().size());
                  }
                }))
        .run();

    System.out.printf(
        "fine-tuning live arrays: %d before the run, %d after step 1, %d after step 100, %d after"
            + " scoring%n",
        before, live.get(0), live.get(99), system.getManagedArrays().size());
    assertThat(live).hasSize(100);
    assertThat(live.subList(1, 100)).containsOnly(live.get(1));
    assertThat(system.getManagedArrays()).as("all freed after decoding").hasSize(before);
  }

  /** The engine's root manager, which sees every array of every manager below it. */
  static NDManager systemManager() {
    try (NDManager probe = NDManager.newBaseManager()) {
      return probe.getParentManager();
    }
  }
}
