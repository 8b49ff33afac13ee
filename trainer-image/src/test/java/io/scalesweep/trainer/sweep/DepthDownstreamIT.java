package io.scalesweep.trainer.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalesweep.api.catalog.CatalogEntry;
import io.scalesweep.api.catalog.SweepCatalog;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.trainer.PackagedApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped whole-pipeline example, {@code examples/depth-downstream.yaml}, in a test-sized form
 * through the packaged app: pretraining, fine-tuning on the three shipped tasks, scores in the
 * catalog, predictions beside each trial and the downstream charts in the report.
 */
class DepthDownstreamIT {

  private static final Path EXAMPLE =
      Path.of("..", "examples", "depth-downstream.yaml").toAbsolutePath().normalize();

  @TempDir Path dir;

  @Test
  void pretrainsFineTunesAndScoresEveryTrialOnEveryTask() throws Exception {
    String data = EXAMPLE.getParent().resolve("data") + "/";
    String shortened =
        Files.readString(EXAMPLE)
            .replaceAll("(?m)^    steps: \\d+", "    steps: 6")
            .replaceAll("(?m)^    checkpointEvery: \\d+", "    checkpointEvery: 3")
            .replaceAll("(?m)^    evalBatches: \\d+", "    evalBatches: 1")
            .replace("uri: data/", "uri: " + data);
    assertThat(shortened).as("the test shortens the shipped manifest").contains("steps: 6");
    Path manifest = Files.writeString(dir.resolve("depth-downstream.yaml"), shortened);
    Path root = dir.resolve("runs");

    Path logs = dir.resolve("logs");
    Process p =
        PackagedApp.start(logs, Map.of(), "run", manifest.toString(), "--output", root.toString());
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("finished in time").isTrue();
    String out = Files.readString(PackagedApp.stdout(logs));
    assertThat(p.exitValue()).as(out + Files.readString(PackagedApp.stderr(logs))).isZero();

    Path sweepDir = root.resolve("depth-downstream");
    SweepCatalog catalog =
        SweepCatalog.fromJson(Files.readAllBytes(sweepDir.resolve(StorageLayout.CATALOG_FILE)));
    assertThat(catalog.trials()).extracting(CatalogEntry::code).containsExactly("TI", "NL2-TI", "NL8-TI");
    assertThat(catalog.trials())
        .allSatisfy(
            t -> {
              assertThat(t.phase()).isEqualTo(TrialPhase.Succeeded);
              assertThat(t.result().getDownstream()).containsOnlyKeys("boolexpr", "arith", "lookup");
              assertThat(t.result().getDownstreamAverage()).isBetween(0.0, 100.0);
              assertThat(
                      sweepDir.resolve(t.name()).resolve(StorageLayout.predictionsFile("lookup")))
                  .as("predictions beside the trial")
                  .exists();
            });
    assertThat(out).contains("downstream boolexpr", "DOWNSTREAM");
    assertThat(sweepDir.resolve("report/downstream-vs-params.png")).exists();
    assertThat(sweepDir.resolve("report/upstream-vs-downstream.png")).exists();
  }
}
