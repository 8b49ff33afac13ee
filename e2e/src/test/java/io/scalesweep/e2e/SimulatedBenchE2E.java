package io.scalesweep.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bench's {@code small} scenario on the simulated GPU cluster ({@code e2e/simulated-cluster}):
 * 50 trials from Small to XL through Kueue on 4 fake nodes of 8 GPUs, while the operator is
 * restarted twice, 5% of the running pods are evicted and the busiest node is deleted. The bench
 * itself checks that no retry was used up, that disrupted trials resumed from their checkpoints,
 * that the deleted node's trials finished elsewhere, that no trial ran or counted twice and that
 * the Pareto sets and fits equal the planted law's; this test runs it and holds it to every check.
 *
 * <p>The simulated cluster has its own ports and state folder, so it runs beside the real e2e
 * cluster without touching it. It needs KWOK and Kueue, which {@code .ci/kube-binaries.sh
 * --simulated} builds from the Go module proxy (15 to 40 minutes on 2 cores, too long for CI):
 * without them the test is skipped and says so, in CI too ({@code -De2e.simulated=false} skips it
 * as well). A simulated cluster that was already running is left running; one this test brought up
 * is taken down.
 */
class SimulatedBenchE2E {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root = Path.of(System.getProperty("e2e.root", ".")).toAbsolutePath().normalize();
  private final ClusterScript simulated = new ClusterScript(root, "simulated-cluster");

  @Test
  @Timeout(value = 30, unit = TimeUnit.MINUTES)
  void fiftyTrialsSurviveEvictionsANodeLossAndOperatorRestarts() throws Exception {
    assumeTrue(Boolean.parseBoolean(System.getProperty("e2e.simulated", "true")),
        "the simulated bench is switched off (-De2e.simulated=false)");
    assumeTrue(System.getProperty("os.name").startsWith("Linux") && "root".equals(System.getProperty("user.name")),
        "the simulated cluster runs only on Linux as root");
    ClusterScript.Result check = simulated.run("check");
    assumeTrue(check.exitCode() == 0, () -> "simulated cluster skipped: " + String.join(" ", check.lines()));
    assumeTrue(Files.isRegularFile(root.resolve("operator/target/quarkus-app/quarkus-run.jar")),
        "no operator build in operator/target/quarkus-app (the e2e reactor packages it before this module)");

    boolean wasRunning = simulated.run("status").exitCode() == 0;
    try {
      ClusterScript.Result up = simulated.run("up", "--nodes", "4");
      assertThat(up.exitCode()).as("e2e/simulated-cluster up:\n%s", String.join("\n", up.tail(30))).isZero();

      Path report = root.resolve("e2e/target/simulated-bench-small.json");
      Files.createDirectories(report.getParent());
      Files.deleteIfExists(report);
      ClusterScript.Result bench = simulated.run("bench", "small", "--report", report.toString());
      assertThat(report).as("the bench's report (it exited %d)", bench.exitCode()).exists();

      JsonNode result = JSON.readTree(report.toFile());
      List<String> failed = new ArrayList<>();
      result.get("checks").forEach(c -> {
        if (!c.get("passed").asBoolean()) {
          failed.add(c.get("name").asText() + ": " + c.get("detail").asText());
        }
      });
      assertThat(failed).as("failed checks").isEmpty();
      assertThat(result.get("checks").size()).as("checks made").isGreaterThanOrEqualTo(9);
      JsonNode metrics = result.get("metrics");
      assertThat(metrics.get("trials").asInt()).isEqualTo(50);
      assertThat(metrics.get("operatorRestarts").asInt()).isEqualTo(2);
      assertThat(metrics.get("gpuUtilisation").asDouble()).isBetween(0.0, 1.0);
      assertThat(bench.exitCode()).as("the bench's exit code").isZero();
    } finally {
      if (!wasRunning && !Boolean.getBoolean("e2e.keepCluster")) {
        simulated.run("down");
      }
    }
  }
}
