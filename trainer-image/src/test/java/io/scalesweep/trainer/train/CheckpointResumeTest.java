package io.scalesweep.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialResult;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Resuming in-process: a damaged newest checkpoint is never taken for complete, the run falls back
 * to the previous one and still ends exactly where an uninterrupted run ends.
 */
class CheckpointResumeTest {

  private static final int STEPS = 20;

  @TempDir static Path shared;
  @TempDir Path out;

  static Path corpus;
  static TrialResult uninterrupted;

  @BeforeAll
  static void trainOnce() throws IOException {
    corpus = TinyTrials.corpus(shared, 800, 3);
    uninterrupted = new TrialRun(job(), new LocalTrialOutput(shared.resolve("reference"))).run();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {"manifest removed", "model truncated", "optimizer byte flipped", "state removed"})
  void aDamagedNewestCheckpointIsSkippedAndTheRunStillEndsExactlyAsUninterrupted(String damage)
      throws IOException {
    new TrialRun(job(), new LocalTrialOutput(out)).run();
    Path newest = out.resolve("checkpoints/step-20");
    switch (damage) {
      case "manifest removed" -> Files.delete(newest.resolve(StorageLayout.CHECKPOINT_MANIFEST));
      case "model truncated" -> truncate(newest.resolve(TrainingCheckpoints.MODEL_FILE));
      case "optimizer byte flipped" ->
          flipLastByte(newest.resolve(TrainingCheckpoints.OPTIMIZER_FILE));
      default -> Files.delete(newest.resolve(TrainingCheckpoints.STATE_FILE));
    }
    Files.delete(out.resolve(StorageLayout.RESULT_FILE));
    CheckpointStore store = new CheckpointStore(new LocalTrialOutput(out));
    assertThat(store.verify(20)).isPresent();
    assertThat(store.latestComplete()).map(CheckpointStore.Checkpoint::step).contains(10L);

    List<Long> startedFrom = new ArrayList<>();
    TrialResult resumed =
        new TrialRun(job(), new LocalTrialOutput(out))
            .listener(
                new ProgressListener() {
                  @Override
                  public void started(TrialRecipe recipe, long fromStep) {
                    startedFrom.add(fromStep);
                  }
                })
            .run();

    assertThat(startedFrom).containsExactly(10L);
    assertThat(resumed.getFinalLoss()).isEqualTo(uninterrupted.getFinalLoss());
    assertThat(resumed.getNegLogPerplexity()).isEqualTo(uninterrupted.getNegLogPerplexity());
    assertThat(store.verify(20)).as("step 20 saved again, whole").isEmpty();
  }

  @Test
  void aFinishedTrialReturnsItsStoredResultWithoutTraining() throws IOException {
    TrialResult first = new TrialRun(job(), new LocalTrialOutput(out)).run();
    List<Long> started = new ArrayList<>();
    TrialResult again =
        new TrialRun(job(), new LocalTrialOutput(out))
            .listener(
                new ProgressListener() {
                  @Override
                  public void started(TrialRecipe recipe, long fromStep) {
                    started.add(fromStep);
                  }
                })
            .run();
    assertThat(started).isEmpty();
    assertThat(again.getFinalLoss()).isEqualTo(first.getFinalLoss());
    assertThat(again.getWallSeconds()).isEqualTo(first.getWallSeconds());
  }

  @Test
  void checkpointsOfAnotherRecipeAreNotResumed() throws IOException {
    new TrialRun(job(), new LocalTrialOutput(out)).run();
    TrainingJob otherSeed = TinyTrials.job(corpus.toString(), STEPS, 10, "seed: 8");
    assertThatThrownBy(() -> new TrialRun(otherSeed, new LocalTrialOutput(out)).run())
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("checkpoints of another recipe");
  }

  private static TrainingJob job() {
    return TinyTrials.job(corpus.toString(), STEPS, 10);
  }

  private static void truncate(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(f.length() / 2);
    }
  }

  private static void flipLastByte(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 1] ^= 0x01;
    Files.write(file, bytes);
  }
}
