package io.scalesweep.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code e2e/cluster up|down} (or {@code e2e/simulated-cluster}), the same script a user
 * runs, echoing its progress to the build log. {@code up} ends with {@code KUBECONFIG=...} and
 * {@code S3_ENDPOINT=...} lines, which are its whole interface to this suite.
 */
final class ClusterScript {

  private final Path script;
  private final String name;

  ClusterScript(Path repositoryRoot) {
    this(repositoryRoot, "cluster");
  }

  /** {@code e2e/<name>} of the repository: {@code cluster} or {@code simulated-cluster}. */
  ClusterScript(Path repositoryRoot, String name) {
    this.script = repositoryRoot.resolve("e2e").resolve(name);
    this.name = "e2e/" + name;
  }

  /** The KEY=value lines of {@code up}'s output, or the failure with its last lines. */
  Map<String, String> up() throws IOException, InterruptedException {
    Result result = run("up");
    if (result.exitCode != 0) {
      throw new ClusterUnavailableException(
          name + " up exited " + result.exitCode + ":\n" + String.join("\n", result.tail(25)));
    }
    Map<String, String> values = new HashMap<>();
    for (String line : result.lines) {
      int eq = line.indexOf('=');
      if (eq > 0 && line.substring(0, eq).matches("[A-Z][A-Z0-9_]*")) {
        values.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return values;
  }

  /** Best effort: a failure is reported, never thrown, so that it hides no test result. */
  void down() {
    try {
      Result result = run("down");
      if (result.exitCode != 0) {
        System.err.println(name + " down exited " + result.exitCode + "; the machine may keep cluster processes");
      }
    } catch (IOException e) {
      System.err.println(name + " down could not run: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The script with these arguments, its output (stdout and stderr) echoed and kept. */
  Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(args));
    command.add(0, script.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        System.out.println("[" + name + " " + args[0] + "] " + line);
        lines.add(line);
      }
    }
    return new Result(process.waitFor(), lines);
  }

  record Result(int exitCode, List<String> lines) {
    List<String> tail(int n) {
      return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }
  }

  /** The cluster could not be brought up here; the message says why. */
  static final class ClusterUnavailableException extends IOException {
    ClusterUnavailableException(String message) {
      super(message);
    }
  }
}
