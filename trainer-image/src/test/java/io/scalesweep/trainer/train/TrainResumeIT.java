package io.scalesweep.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.contract.TrainerContract;
import io.scalesweep.trainer.PackagedApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code scalesweep train} in real separate JVMs, as a pod runs it: a run killed with
 * SIGKILL after its step-30 checkpoint and started again ends exactly where an uninterrupted run
 * ends, a run sent SIGTERM (a deleted pod, Ctrl-C) stops between steps without crashing
 * libtorch, and a pod that was promised a GPU it cannot see refuses to train.
 */
class TrainResumeIT {

  private static final long STEPS = 60;
  private static final long KILL_AFTER = 30;

  @TempDir Path dir;
  private Path trial;

  @BeforeEach
  void trial() throws IOException {
    Path corpus = TinyTrials.corpus(dir, 1500, 4);
    trial = dir.resolve("trial.yaml");
    Files.writeString(trial, TinyTrials.manifest(corpus.getFileName().toString(), (int) STEPS, 15));
  }

  @Test
  void aRunKilledHardAfterStep30ResumesToTheSameFinalLossAsAnUninterruptedRun() throws Exception {
    Path reference = dir.resolve("reference");
    Process uninterrupted = train(reference, Map.of());
    assertThat(uninterrupted.waitFor(180, TimeUnit.SECONDS)).isTrue();
    assertThat(uninterrupted.exitValue()).as(log(reference)).isZero();

    Path killed = dir.resolve("killed");
    Process victim = train(killed, Map.of());
    CheckpointStore checkpoints = new CheckpointStore(new LocalTrialOutput(killed));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!complete(checkpoints, KILL_AFTER) && victim.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(victim.isAlive())
        .as("still training when step %d became complete", KILL_AFTER)
        .isTrue();
    victim.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, as a preempted pod
    assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(victim.exitValue()).isEqualTo(137);
    assertThat(killed.resolve(StorageLayout.RESULT_FILE)).doesNotExist();
    // on an idle machine the run may finish the next checkpoint before the kill lands
    long newest = checkpoints.latestComplete().orElseThrow().step();
    assertThat(newest).isBetween(KILL_AFTER, STEPS - 1);

    Process resumed = train(killed, Map.of());
    assertThat(resumed.waitFor(180, TimeUnit.SECONDS)).isTrue();
    assertThat(resumed.exitValue()).as(log(killed)).isZero();

    assertThat(log(killed)).contains("resuming after step " + newest);
    double expected = result(reference).get("finalLoss").asDouble();
    double actual = result(killed).get("finalLoss").asDouble();
    System.out.printf(
        "final loss: uninterrupted %.9f, killed after step %d and resumed %.9f (difference %.3g)%n",
        expected, newest, actual, Math.abs(actual - expected));
    assertThat(Math.abs(actual - expected)).isLessThan(1e-5);
    assertThat(result(killed).get("steps").asLong()).isEqualTo(STEPS);
    assertThat(result(killed).get("negLogPerplexity").asDouble())
        .isEqualTo(result(reference).get("negLogPerplexity").asDouble());
    List<String> metrics = Files.readAllLines(killed.resolve(StorageLayout.METRICS_FILE));
    assertThat(metrics).as("each logged step once, in order").hasSize((int) STEPS);
  }

  @Test
  void sigtermStopsTheRunBetweenStepsWithoutCrashingAndTheRunResumes() throws Exception {
    Path out = dir.resolve("terminated");
    Process victim = train(out, Map.of());
    CheckpointStore checkpoints = new CheckpointStore(new LocalTrialOutput(out));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!complete(checkpoints, 15) && victim.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(victim.isAlive()).as("still training after the step-15 checkpoint").isTrue();
    victim.destroy(); // SIGTERM, as the kubelet sends before SIGKILL
    assertThat(victim.waitFor(Interruption.GRACE.toSeconds() + 30, TimeUnit.SECONDS)).isTrue();
    String log = log(out);
    String stdout = Files.readString(PackagedApp.stdout(out));
    // a JVM that crashed in libtorch says so on stdout and leaves hs_err_pid<pid>.log behind
    assertThat(stdout + log).doesNotContain("A fatal error has been detected");
    assertThat(Path.of("hs_err_pid" + victim.pid() + ".log")).doesNotExist();
    assertThat(victim.exitValue()).as(log).isEqualTo(143); // 128 + SIGTERM: the JVM's own code
    assertThat(log).contains("scalesweep: interrupted");
    assertThat(out.resolve(StorageLayout.RESULT_FILE)).doesNotExist();
    assertThat(checkpoints.verify(15)).isEmpty();
    long newest = checkpoints.latestComplete().orElseThrow().step();

    Process resumed = train(out, Map.of());
    assertThat(resumed.waitFor(180, TimeUnit.SECONDS)).isTrue();
    assertThat(resumed.exitValue()).as(log(out)).isZero();
    assertThat(log(out)).contains("resuming after step " + newest);
    assertThat(result(out).get("steps").asLong()).isEqualTo(STEPS);
  }

  @Test
  void aPodPromisedAGpuItCannotSeeExitsWith3InsteadOfTrainingOnTheCpu() throws Exception {
    Path out = dir.resolve("no-gpu");
    Process process = train(out, Map.of(TrainerContract.ENV_EXPECTED_GPUS, "1"));
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(TrainerContract.EXIT_NO_GPU);
    assertThat(log(out)).contains("NO GPU", "expects 1 GPU(s)", "sees 0");
    assertThat(out.resolve(StorageLayout.CHECKPOINTS_DIR)).doesNotExist();
  }

  private Process train(Path out, Map<String, String> env) throws IOException {
    Files.createDirectories(out);
    return PackagedApp.start(
        out, env, "train", "--trial", trial.toString(), "--output", out.toString(),
        "--log-every", "1");
  }

  private static boolean complete(CheckpointStore checkpoints, long step) {
    try {
      return checkpoints.verify(step).isEmpty();
    } catch (IOException e) {
      return false; // being written right now
    }
  }

  private static String log(Path out) throws IOException {
    return Files.readString(PackagedApp.stderr(out));
  }

  private static JsonNode result(Path out) throws IOException {
    return new ObjectMapper().readTree(out.resolve(StorageLayout.RESULT_FILE).toFile());
  }
}
