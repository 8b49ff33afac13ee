package io.scalesweep.operator.it;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobStatus;
import io.scalesweep.operator.common.Conditions;
import io.scalesweep.operator.common.Json;
import io.scalesweep.operator.sweep.SweepConditions;
import io.scalesweep.operator.testing.Fixtures;
import io.scalesweep.operator.testing.PodStates;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures the operator on one large sweep; a measurement, not a test with time limits, and off
 * unless asked for:
 *
 * <pre>
 * ./mvnw -B -pl operator -am verify -Dscalesweep.benchmark=true -Dit.test=SweepBenchmarkIT \
 *     -Dtest=None -Dsurefire.failIfNoSpecifiedTests=false [-Dscalesweep.benchmark.trials=500]
 * </pre>
 *
 * A sweep of N trials with parallelism N is applied to the real API server with the operator
 * running in this JVM; the fake Job controller then runs every pod to success. It prints, and
 * writes to {@code target/benchmark/sweep-benchmark.txt}: the time from apply until every
 * TrainingJob (and every Job) exists, the time from the last trial finishing until the sweep's
 * status has aggregated all of them, the heap in use after GC, the operator's API requests per
 * trial (counted on its own client, by verb and resource), and the size of the sweep's status. The
 * operator runs as the chart's ServiceAccount, as in every IT ({@link OperatorUnderTest}).
 */
@EnabledIfSystemProperty(named = "scalesweep.benchmark", matches = "true")
class SweepBenchmarkIT {

  private static final int TRIALS = Integer.getInteger("scalesweep.benchmark.trials", 500);
  private static final Duration TIMEOUT = Duration.ofMinutes(15);
  private static final Duration TTL_ELAPSED = Duration.ofHours(1);
  /** 2,000 trials through the fake Job controller take about 15 minutes on a quiet 2-core machine. */
  private static final Duration HEAP_TIMEOUT = Duration.ofMinutes(45);
  /** {@code false}: no TTL controller, as before Jobs had a TTL (the comparison's other side). */
  private static final boolean EXPIRE_FINISHED_JOBS =
      Boolean.parseBoolean(System.getProperty("scalesweep.benchmark.expireJobs", "true"));

  @Test
  void largeSweep() throws IOException {
    TestApiServer server = TestApiServer.shared();
    RequestCounter requests = new RequestCounter();
    try (KubernetesClient driverClient = server.newClient()) {
      String namespace = server.newNamespace(driverClient, "bench");
      FakeJobController jobs = new FakeJobController(driverClient, namespace);
      AtomicInteger trainingJobs = new AtomicInteger();
      var watch = driverClient.resources(TrainingJob.class).inNamespace(namespace).inform(new ResourceEventHandler<>() {
        @Override
        public void onAdd(TrainingJob obj) {
          trainingJobs.incrementAndGet();
        }

        @Override
        public void onUpdate(TrainingJob oldObj, TrainingJob newObj) {}

        @Override
        public void onDelete(TrainingJob obj, boolean deletedFinalStateUnknown) {}
      });
      long heapBefore = heapAfterGc();
      OperatorUnderTest operator = new OperatorUnderTest(driverClient, namespace).observedBy(requests).start();
      long requestsAtStart = requests.total();

      ScalingSweep sweep = largeSweep(namespace);
      long t0 = System.nanoTime();
      driverClient.resource(sweep).create();
      await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> trainingJobs.get() >= TRIALS);
      long allTrainingJobs = System.nanoTime();
      await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() ->
          driverClient.batch().v1().jobs().inNamespace(namespace).list().getItems().size() >= TRIALS);
      long allJobs = System.nanoTime();

      List<Pod> pods = new ArrayList<>(jobs.startPods());
      for (int i = 0; i < pods.size(); i++) {
        Pod pod = pods.get(i);
        jobs.succeed(pod, PodStates.result(1_000_000L * (i + 1), -5.0 + i * 0.001, null, 10_000.0 - i));
      }
      long lastFinished = System.nanoTime();
      ScalingSweep done = await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(
          () -> driverClient.resources(ScalingSweep.class).inNamespace(namespace).withName(sweep.getMetadata().getName()).get(),
          s -> s.getStatus() != null && s.getStatus().getTrials() != null
              && s.getStatus().getTrials().getSucceeded() == TRIALS
              && Conditions.isTrue(s.getStatus().getConditions(), SweepConditions.READY));
      long aggregated = System.nanoTime();
      long heapAfter = heapAfterGc();
      long operatorRequests = requests.total() - requestsAtStart;

      StringBuilder report = new StringBuilder();
      report.append(String.format("scalesweep operator benchmark: one sweep of %d trials, parallelism %d%n", TRIALS, TRIALS));
      report.append(String.format("apply -> every TrainingJob exists     %8.2f s%n", seconds(t0, allTrainingJobs)));
      report.append(String.format("apply -> every Job exists             %8.2f s%n", seconds(t0, allJobs)));
      report.append(String.format("pods run by the fake controller       %8.2f s (test driver, not the operator)%n", seconds(allJobs, lastFinished)));
      report.append(String.format("last trial done -> status aggregated  %8.2f s%n", seconds(lastFinished, aggregated)));
      report.append(String.format("heap after GC: before %d MiB, after %d MiB (this JVM: operator, API clients, test driver)%n",
          heapBefore >> 20, heapAfter >> 20));
      report.append(String.format("operator API requests: %d in all, %.1f per trial%n", operatorRequests, operatorRequests / (double) TRIALS));
      requests.byKind().forEach((k, v) -> report.append(String.format("    %-36s %7d  (%.2f per trial)%n", k, v, v / (double) TRIALS)));
      report.append(String.format("sweep status: %d bytes of JSON; whole ScalingSweep object %d bytes%n",
          Json.sizeInBytes(done.getStatus()), Json.sizeInBytes(done)));
      report.append(String.format("status: %d result rows (truncated=%s), %d Pareto sets, %d fits%n",
          done.getStatus().getResults().size(), done.getStatus().getResultsTruncated(),
          done.getStatus().getPareto().size(), done.getStatus().getFits() == null ? 0 : done.getStatus().getFits().size()));
      System.out.println(report);
      Path out = Path.of("target", "benchmark", "sweep-benchmark.txt");
      Files.createDirectories(out.getParent());
      Files.writeString(out, report.toString());

      watch.close();
      operator.close();
    }
  }

  /**
   * The operator's heap as finished trials accumulate: a 2,000-trial sweep (a grid of 50 depths by
   * 40 widths) run {@code scalesweep.benchmark.parallelism} trials at a time (default 100), with
   * the heap after GC measured every 500 finished trials. The fake Job controller expires finished
   * Jobs as the TTL-after-finished controller would ({@code ttlSecondsAfterFinished}), deleting
   * their pods with them, with its clock an hour ahead (the steady state of a sweep that runs for
   * longer than the TTL); what the operator still caches of a finished trial is then its
   * TrainingJob (its ConfigMap is deleted as it finishes).
   */
  @Test
  void heapAsFinishedTrialsAccumulate() throws IOException {
    int parallelism = Integer.getInteger("scalesweep.benchmark.parallelism", 100);
    TestApiServer server = TestApiServer.shared();
    RequestCounter requests = new RequestCounter();
    try (KubernetesClient driverClient = server.newClient()) {
      String namespace = server.newNamespace(driverClient, "heap");
      FakeJobController jobs = new FakeJobController(driverClient, namespace);
      OperatorUnderTest operator = new OperatorUnderTest(driverClient, namespace).observedBy(requests).start();
      ScalingSweep sweep = gridSweep(namespace, 50, 40, parallelism);
      int total = 50 * 40;
      StringBuilder report = new StringBuilder(String.format(
          "scalesweep operator heap: one sweep of %d trials, parallelism %d, finished Jobs expire: %s%n%10s %12s %12s %10s %10s%n",
          total, parallelism, EXPIRE_FINISHED_JOBS, "finished", "heap MiB", "Jobs left", "pods left", "seconds"));
      long t0 = System.nanoTime();
      long heapStart = heapAfterGc();
      report.append(String.format("%10d %12.1f %12d %10d %10.1f%n", 0, heapStart / 1048576.0, 0, 0, 0.0));
      driverClient.resource(sweep).create();
      int finished = 0;
      int nextMark = 500;
      int index = 0;
      while (finished < total) {
        List<Pod> started = jobs.startPods();
        for (Pod pod : started) {
          jobs.succeed(pod, PodStates.result(1_000_000L + index, -5.0 + (index % 97) * 0.001, null, 10_000.0 - index % 89));
          index++;
        }
        if (EXPIRE_FINISHED_JOBS) {
          jobs.expireFinishedJobs(TTL_ELAPSED);
        }
        finished = (int) driverClient.resources(TrainingJob.class).inNamespace(namespace).list().getItems().stream()
            .filter(t -> TrainingJobStatus.finished(t.getStatus()))
            .count();
        if (finished >= nextMark) {
          report.append(String.format("%10d %12.1f %12d %10d %10.1f%n", finished, heapAfterGc() / 1048576.0,
              driverClient.batch().v1().jobs().inNamespace(namespace).list().getItems().size(),
              driverClient.pods().inNamespace(namespace).list().getItems().size(), seconds(t0, System.nanoTime())));
          System.out.print(report);
          nextMark += 500;
        }
        if (started.isEmpty()) {
          await().pollDelay(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> true);
        }
        if (seconds(t0, System.nanoTime()) > HEAP_TIMEOUT.toSeconds()) {
          throw new AssertionError("not done within " + HEAP_TIMEOUT + ":\n" + report);
        }
      }
      report.append(String.format("operator API requests: %.1f per trial%n", requests.total() / (double) total));
      System.out.println(report);
      Path out = Path.of("target", "benchmark", "heap-benchmark.txt");
      Files.createDirectories(out.getParent());
      Files.writeString(out, report.toString());
      operator.close();
    }
  }

  /** The grid of NL 1..depths by FF in steps of 256: depths x widths distinct shapes. */
  private static ScalingSweep gridSweep(String namespace, int depths, int widths, int parallelism) {
    ScalingSweep sweep = Fixtures.sweep("heap", java.util.stream.IntStream.rangeClosed(1, depths).boxed().toList(),
        java.util.stream.IntStream.rangeClosed(1, widths).map(i -> 256 * i).boxed().toList());
    sweep.getMetadata().setNamespace(namespace);
    sweep.getMetadata().setUid(null);
    sweep.getMetadata().setGeneration(null);
    sweep.getSpec().setGrid(true);
    sweep.getSpec().setIncludeBase(false);
    sweep.getSpec().setParallelism(parallelism);
    sweep.getSpec().getFailurePolicy().setMaxFailedTrials(depths * widths);
    return sweep;
  }

  /** N explicit variants NL1-SM .. NLN-SM: distinct shapes, deterministic names. */
  private static ScalingSweep largeSweep(String namespace) {
    ScalingSweep sweep = Fixtures.sweep("bench", List.of(), List.of());
    sweep.getMetadata().setNamespace(namespace);
    sweep.getMetadata().setUid(null);
    sweep.getMetadata().setGeneration(null);
    sweep.getSpec().setScaling(null);
    sweep.getSpec().setIncludeBase(false);
    List<String> variants = new ArrayList<>();
    for (int i = 1; i <= TRIALS; i++) {
      variants.add("NL" + i + "-SM");
    }
    sweep.getSpec().setVariants(variants);
    sweep.getSpec().setParallelism(TRIALS);
    sweep.getSpec().getFailurePolicy().setMaxFailedTrials(TRIALS);
    return sweep;
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static double seconds(long from, long to) {
    return (to - from) / 1e9;
  }
}
