package io.scalesweep.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed CRDs in {@code crds/} and in the Helm chart must be exactly what the classes
 * generate: users apply those files, so a class change that is not regenerated would ship a stale schema. To accept a
 * change, regenerate: {@code ./mvnw -pl api test -Dtest=CrdDriftTest -Dcrds.update=true}.
 */
class CrdDriftTest {

  private static final Path GENERATED = Path.of(System.getProperty("scalesweep.crds.generated", "target/classes/META-INF/fabric8"));
  private static final Path COMMITTED = Path.of(System.getProperty("scalesweep.crds.dir", "../crds"));
  /** The Helm chart installs its own copy (Helm only installs CRDs from the chart's crds/). */
  private static final Path CHART = COMMITTED.resolveSibling("charts/scalesweep/crds");

  @Test
  void committedCrdsMatchTheClasses() throws IOException {
    List<Path> generated = crdFiles(GENERATED);
    assertThat(generated).as("CRDs generated from the classes").hasSize(2);
    boolean update = Boolean.getBoolean("crds.update");
    for (Path file : generated) {
      String expected = Files.readString(file);
      for (Path dir : List.of(COMMITTED, CHART)) {
        Path committed = dir.resolve(file.getFileName());
        if (update) {
          Files.createDirectories(dir);
          Files.writeString(committed, expected);
        }
        assertThat(committed).as("committed copy of %s", file.getFileName()).exists();
        assertThat(Files.readString(committed))
            .as("%s drifted from the classes; regenerate with -Dcrds.update=true", committed)
            .isEqualTo(expected);
      }
    }
    assertThat(crdFiles(COMMITTED)).as("no stale CRD files in crds/").hasSameSizeAs(generated);
    assertThat(crdFiles(CHART)).as("no stale CRD files in the chart").hasSameSizeAs(generated);
  }

  private static List<Path> crdFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
  }
}
