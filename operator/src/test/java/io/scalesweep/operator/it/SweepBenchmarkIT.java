package io.scalesweep.operator.it;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
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
