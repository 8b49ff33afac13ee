package io.scalesweep.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three trials trained one after another in one JVM end bit-identical, step by step, whether the
 * garbage collector runs at its own pace or every millisecond on a small heap. Native memory that a
 * tensor still uses while its Java owner is gone (a scalar wrapped and closed, a view of an array
 * built from Java data, weights loaded into buffers) is freed by a collection while it is read:
 * the run then drifts or diverges, at random, which is how the quickstart once failed.
 */
class GcPressureIT {

  @TempDir Path dir;

  @Test
  void trialsUnderConstantCollectionsOnASmallHeapEndBitIdenticalToACalmRun() throws Exception {
    // Both at once: one libtorch thread each, on different work folders.
    Process calm = start("calm", List.of());
    Process pressure = start("pressure", List.of("-Xmx128m", "-XX:+UseSerialGC"));
    assertThat(calm.waitFor(10, TimeUnit.MINUTES)).as("calm run finished").isTrue();
    assertThat(pressure.waitFor(10, TimeUnit.MINUTES)).as("pressured run finished").isTrue();
    assertThat(calm.exitValue()).as(log("calm")).isZero();
    assertThat(pressure.exitValue()).as(log("pressure")).isZero();

    List<String> expected = results("calm");
    List<String> actual = results("pressure");
    long collections = collections("pressure");
    System.out.printf(
        "gc pressure: %d result lines to compare, %d collections under pressure, %d calm%n",
        expected.size(), collections, collections("calm"));
    assertThat(expected)
        .as("every step of the three trials, and their results")
        .hasSizeGreaterThan(24 + 24 + 12 + 16);
    assertThat(actual).containsExactlyElementsOf(expected);
    assertThat(collections)
        .as("the collector ran more often than there were steps")
        .isGreaterThan(expected.size());
  }

  private Process start(String mode, List<String> jvm) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvm);
    command.add("-Dai.djl.pytorch.num_threads=1");
    command.add("-Dai.djl.pytorch.num_interop_threads=1");
    command.add("-cp");
    command.add(testClassPath());
    command.add(GcPressureRun.class.getName());
    command.add(mode);
    command.add(dir.resolve(mode).toString());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(dir.resolve(mode + ".out").toFile())
            .redirectError(dir.resolve(mode + ".log").toFile());
    builder.environment().put("DJL_OFFLINE", "true");
    builder.environment().put("OPT_OUT_TRACKING", "true");
    return builder.start();
  }

  /** Surefire and failsafe hand the forked JVM a one-jar class path; this is the real one. */
  private static String testClassPath() {
    String full = System.getProperty("surefire.test.class.path");
    return full != null && !full.isBlank() ? full : System.getProperty("java.class.path");
  }

  private List<String> results(String mode) throws IOException {
    return Files.readAllLines(dir.resolve(mode + ".out")).stream()
        .filter(l -> l.startsWith("trial "))
        .toList();
  }

  private long collections(String mode) throws IOException {
    return Files.readAllLines(dir.resolve(mode + ".out")).stream()
        .filter(l -> l.startsWith("collections "))
        .mapToLong(l -> Long.parseLong(l.substring("collections ".length())))
        .findFirst()
        .orElse(-1);
  }

  private String log(String mode) {
    try {
      return Files.readString(dir.resolve(mode + ".log"));
    } catch (IOException e) {
      return e.toString();
    }
  }
}
