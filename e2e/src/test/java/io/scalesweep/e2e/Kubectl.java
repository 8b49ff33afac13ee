package io.scalesweep.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real kubectl against the cluster under test: what a user applies is what the suite applies. */
final class Kubectl {

  private final E2ECluster cluster;

  Kubectl(E2ECluster cluster) {
    this.cluster = cluster;
  }

  /** Runs kubectl; its stdout, or an exception carrying stderr. */
  String run(String... args) throws IOException, InterruptedException {
    return runWithInput(null, args);
  }

  /** {@code kubectl apply -n NAMESPACE -f -} of a manifest, as a user applies one. */
  String apply(String namespace, String manifest) throws IOException, InterruptedException {
    return runWithInput(manifest, "apply", "-n", namespace, "-f", "-");
  }

  private String runWithInput(String stdin, String... args) throws IOException, InterruptedException {
    Output out = exec(stdin, args);
    if (out.exitCode != 0) {
      throw new IOException("kubectl " + String.join(" ", args) + " exited " + out.exitCode + ": " + out.stderr);
    }
    return out.stdout;
  }

  /** Runs kubectl and returns stdout and stderr together, whatever the exit code (diagnostics). */
  String tryRun(String... args) {
    try {
      Output out = exec(null, args);
      return out.stdout + out.stderr;
    } catch (IOException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return "kubectl " + String.join(" ", args) + ": " + e;
    }
  }

  private Output exec(String stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("kubectl");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(cluster.environment());
    Process process = builder.start();
    try (OutputStream in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    // Read both streams on their own threads: a full pipe would block kubectl forever.
    var stdout = new StreamReader(process.getInputStream());
    var stderr = new StreamReader(process.getErrorStream());
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IOException("kubectl " + String.join(" ", args) + " did not finish in 2 minutes");
    }
    return new Output(process.exitValue(), stdout.text(), stderr.text());
  }

  private record Output(int exitCode, String stdout, String stderr) {}

  private static final class StreamReader {
    private final Thread thread;
    private volatile String text = "";

    StreamReader(java.io.InputStream stream) {
      thread = new Thread(() -> {
        try {
          text = new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          text = e.toString();
        }
      });
      thread.setDaemon(true);
      thread.start();
    }

    String text() throws InterruptedException {
      thread.join(TimeUnit.SECONDS.toMillis(30));
      return text;
    }
  }
}
