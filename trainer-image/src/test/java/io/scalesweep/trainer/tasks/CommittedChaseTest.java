package io.scalesweep.trainer.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The pointer chase committed for {@code examples/depth-chase.yaml} must be exactly what the
 * generator writes with the sizes below. To accept a change to the generator, regenerate: {@code
 * ./mvnw -pl trainer-image -am test -Dtest=CommittedChaseTest -Dtasks.update=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class CommittedChaseTest {

  static final int ENTRIES = 12;
  static final int MAX_HOPS = 6;
  static final long SEED = 0;
  static final int TRAIN = 48_000;
  static final int VALIDATION = 1_200;

  private static final Path CHASE =
      Path.of(System.getProperty("scalesweep.examples.dir", "../examples"), "data/chase");

  @Test
  void committedFilesAreAFreshGeneration() throws IOException {
    SyntheticTasks.Splits fresh =
        SyntheticTasks.pointerChase(ENTRIES, MAX_HOPS, SEED, TRAIN, VALIDATION);
    if (Boolean.getBoolean("tasks.update")) {
      SyntheticTasks.writeGzipped(CHASE, fresh);
    }
    assertThat(gunzip(CHASE.resolve("train.jsonl.gz")))
        .as("drifted from the generator; regenerate with -Dtasks.update=true")
        .isEqualTo(String.join("\n", fresh.train()) + "\n");
    assertThat(gunzip(CHASE.resolve("validation.jsonl.gz")))
        .isEqualTo(String.join("\n", fresh.validation()) + "\n");
    assertThat(Files.size(CHASE.resolve("train.jsonl.gz")))
        .as("small enough to commit")
        .isLessThan(2_000_000);
  }

  private static String gunzip(Path file) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
