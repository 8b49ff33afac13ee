package io.scalesweep.api.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalesweep.api.shape.SweepExpander;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sweep shipped in {@code examples/} reads under the schema's rules and expands into trials,
 * the cluster-only ones too, which no other test runs: a field renamed in the API fails here, not
 * in the hands of the user who copies the example.
 */
class ExampleManifestsTest {

  private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

  static List<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void readsAndExpands(Path manifest) {
    ScalingSweep sweep = ManifestReader.readSweep(manifest);

    assertThat(sweep.getMetadata().getName()).isNotBlank();
    assertThat(SweepExpander.expand(sweep.getMetadata().getName(), sweep.getSpec())).isNotEmpty();
  }
}
