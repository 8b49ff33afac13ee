package io.scalesweep.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.contract.StorageOwner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trial's folder in storage belongs to the sweep that first wrote it: a trial of another sweep
 * (one created again under the same name) neither resumes from it nor overwrites it.
 */
class TrialOwnershipTest {

  @TempDir static Path corpusDir;
  @TempDir Path out;

  static Path corpus;

  @BeforeAll
  static void writeCorpus() throws IOException {
    corpus = TinyTrials.corpus(corpusDir, 300, 2);
  }

  @Test
  void theFirstRunClaimsItsFolderAndARunOfTheSameOwnerResumesThere() throws IOException {
    new TrialRun(TinyTrials.job(corpus.toString(), 4, 2), new LocalTrialOutput(out))
        .owner("sweep-1")
        .run();

    StorageOwner owner =
        StorageOwner.fromJson(Files.readAllBytes(out.resolve(StorageLayout.OWNER_FILE)));
    assertThat(owner.uid()).isEqualTo("sweep-1");
    assertThat(new TrialRun(TinyTrials.job(corpus.toString(), 4, 2), new LocalTrialOutput(out))
            .owner("sweep-1")
            .run()
            .getSteps())
        .isEqualTo(4);
  }

  @Test
  void aRunOfAnotherOwnerIsRefusedBeforeItReadsOrWritesAnything() throws IOException {
    new TrialRun(TinyTrials.job(corpus.toString(), 4, 2), new LocalTrialOutput(out))
        .owner("sweep-1")
        .run();
    List<String> before = listing(out);
    byte[] result = Files.readAllBytes(out.resolve(StorageLayout.RESULT_FILE));

    assertThatThrownBy(
            () ->
                new TrialRun(TinyTrials.job(corpus.toString(), 6, 2), new LocalTrialOutput(out))
                    .owner("sweep-2")
                    .run())
        .isInstanceOfSatisfying(
            InvalidSpecException.class,
            e -> {
              assertThat(e.field()).isEqualTo("--output");
              assertThat(e.getMessage())
                  .contains("owner.json", "uid sweep-1", "not of uid sweep-2")
                  .contains("nothing there was read")
                  .contains("spec.storage.uri");
            });
    assertThat(listing(out)).isEqualTo(before);
    assertThat(Files.readAllBytes(out.resolve(StorageLayout.RESULT_FILE))).isEqualTo(result);
  }

  @Test
  void withoutAnOwnerNothingIsCheckedOrWritten() throws IOException {
    new TrialRun(TinyTrials.job(corpus.toString(), 2, 2), new LocalTrialOutput(out)).run();

    assertThat(out.resolve(StorageLayout.OWNER_FILE)).doesNotExist();
  }

  private static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.map(p -> dir.relativize(p) + " " + p.toFile().length()).sorted().toList();
    }
  }
}
