package io.scalesweep.trainer.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalesweep.api.catalog.CatalogEntry;
import io.scalesweep.api.catalog.SweepCatalog;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.trainer.PackagedApp;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main job, {@code scalesweep run examples/quickstart.yaml}, in a test-sized form:
 * the shipped manifest and corpus with a few steps per trial, through the packaged app.
 */
class QuickstartIT {

  private static final Path QUICKSTART = Path.of("..", "examples", "quickstart.yaml").toAbsolutePath().normalize();

  @TempDir Path dir;

  @Test
  void runsTheWholeSweepWritesCatalogAndReportAndContinuesWhereItStopped() throws Exception {
    Path manifest = dir.resolve("quickstart.yaml");
    String shipped = Files.readString(QUICKSTART);
    Files.writeString(manifest, shipped
        .replaceAll("(?m)^    steps: \\d+", "    steps: 12")
        .replaceAll("(?m)^    checkpointEvery: \\d+", "    checkpointEvery: 5")
        .replaceAll("(?m)^    evalBatches: \\d+", "    evalBatches: 2")
        .replace("data/jargon/", QUICKSTART.getParent().resolve("data/jargon") + "/"));
    assertThat(Files.readString(manifest)).as("the test shortens the shipped manifest").contains("steps: 12", "checkpointEvery: 5");
    Path root = dir.resolve("runs");

    String first = run(manifest, root, "first");

    Path sweepDir = root.resolve("quickstart");
    SweepCatalog catalog = SweepCatalog.fromJson(Files.readAllBytes(sweepDir.resolve(StorageLayout.CATALOG_FILE)));
    assertThat(catalog.trials()).extracting(CatalogEntry::code).containsExactly("TI", "NL1-TI", "NL2-TI", "NL1-DM256-TI");
    assertThat(catalog.trials()).allSatisfy(t -> {
      assertThat(t.phase()).isEqualTo(TrialPhase.Succeeded);
      assertThat(t.result().getParams()).isEqualTo(t.params());
      assertThat(t.result().getNegLogPerplexity()).isNegative();
      // keepCheckpoints: final leaves the last checkpoint of each trial and nothing else
      assertThat(t.checkpointUri()).endsWith("checkpoints/step-12/");
      assertThat(sweepDir.resolve(t.name()).resolve("checkpoints").toFile().list()).containsExactly("step-12");
    });
    // the cheapest trial is on every upstream frontier: nothing cheaper can beat it
    assertThat(catalog.trials().get(1).pareto()).contains("upstream/params", "upstream/flops");
    assertThat(catalog.pareto()).isNotEmpty();
    assertThat(first).contains("* NL1-TI", "Catalog:", "Report:");

    for (String chart : List.of("upstream-vs-params.png", "upstream-vs-flops.png", "upstream-vs-throughput.png")) {
      BufferedImage png = ImageIO.read(sweepDir.resolve("report").resolve(chart).toFile());
      assertThat(png).as(chart).isNotNull();
    }
    assertThat(Files.readString(sweepDir.resolve("report/index.html"))).contains("Sweep quickstart", "NL1-DM256-TI");

    String second = run(manifest, root, "second");
    assertThat(second.split("finished in an earlier run, kept", -1)).as("all four trials kept").hasSize(5);
  }

  @Test
  void aSignalStopsTheSweepBetweenStepsWithoutFailingTheTrialInProgress() throws Exception {
    Path manifest = dir.resolve("quickstart.yaml");
    Files.writeString(manifest, Files.readString(QUICKSTART)
        .replace("data/jargon/", QUICKSTART.getParent().resolve("data/jargon") + "/"));
    Path logs = dir.resolve("interrupted");
    Process p = PackagedApp.start(logs, Map.of(), "run", manifest.toString(), "--output", dir.resolve("runs").toString());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (p.isAlive() && System.nanoTime() < deadline && !Files.readString(PackagedApp.stdout(logs)).contains("step 1/")) {
      Thread.sleep(50);
    }
    assertThat(p.isAlive()).as("training the first trial").isTrue();
    // SIGTERM rather than Ctrl-C's SIGINT, which takes the same path in the JVM: a build started
    // as a shell's background job hands SIGINT down ignored, and the JVM keeps it ignored
    p.destroy();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

    String out = Files.readString(PackagedApp.stdout(logs));
    String err = Files.readString(PackagedApp.stderr(logs));
    assertThat(out + err).doesNotContain("A fatal error has been detected", "FAILED", "[2/4]");
    assertThat(Path.of("hs_err_pid" + p.pid() + ".log")).doesNotExist();
    assertThat(err).contains("scalesweep: interrupted");
    assertThat(p.exitValue()).isEqualTo(143);
  }

  private String run(Path manifest, Path root, String name) throws Exception {
    Path logs = dir.resolve(name);
    Process p = PackagedApp.start(logs, Map.of(), "run", manifest.toString(), "--output", root.toString());
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("%s finished in time", name).isTrue();
    String out = Files.readString(PackagedApp.stdout(logs));
    assertThat(p.exitValue()).as(out + Files.readString(PackagedApp.stderr(logs))).isZero();
    return out;
  }
}
