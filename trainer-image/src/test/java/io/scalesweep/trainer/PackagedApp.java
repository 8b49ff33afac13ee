package io.scalesweep.trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged CLI ({@code target/quarkus-app}) started as a separate JVM, as a pod or a user
 * runs it. Tests that need the DJL engine inside the app run it this way: a {@code
 * QuarkusMainTest} would load libtorch in Quarkus' class loader, and every later test of the
 * same surefire JVM would then fail to load it ("already loaded in another classloader").
 */
public final class PackagedApp {

  public static final Path JAR =
      Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();

  private PackagedApp() {}

  /**
   * Starts {@code scalesweep args...} with DJL offline and one libtorch thread (deterministic,
   * and fair on shared machines); stdout goes to {@code logs + ".out"}, stderr to {@code logs +
   * ".log"}, appended.
   */
  public static Process start(Path logs, Map<String, String> env, String... args)
      throws IOException {
    if (!Files.exists(JAR)) {
      throw new IllegalStateException(JAR + " is missing: package the app first (mvn verify does)");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dai.djl.pytorch.num_threads=1");
    command.add("-Dai.djl.pytorch.num_interop_threads=1");
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout(logs).toFile()))
            .redirectError(ProcessBuilder.Redirect.appendTo(stderr(logs).toFile()));
    builder.environment().put("DJL_OFFLINE", "true");
    builder.environment().put("OPT_OUT_TRACKING", "true");
    builder.environment().putAll(env);
    return builder.start();
  }

  public static Path stdout(Path logs) {
    return logs.resolveSibling(logs.getFileName() + ".out");
  }

  public static Path stderr(Path logs) {
    return logs.resolveSibling(logs.getFileName() + ".log");
  }
}
