package io.scalesweep.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.shape.Trial;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.StorageSpec;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingProgress;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.operator.testing.Fixtures;
import io.scalesweep.operator.testing.SweepStates;
import io.scalesweep.storage.ObjectStore;
import io.scalesweep.storage.ObjectStores;
import io.scalesweep.storage.S3ProxyServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Measures what live progress costs with many trials running at once; a measurement, not a test
 * with time limits, and off unless asked for:
 *
 * <pre>
 * ./mvnw -B -pl api,storage,operator verify -Dscalesweep.benchmark=true \
 *     -Dit.test=ProgressTrafficBenchmarkIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dfailsafe.failIfNoSpecifiedTests=false [-Dscalesweep.benchmark.trials=500] \
 *     [-Dscalesweep.benchmark.window.seconds=180]
 * </pre>
 *
 * One sweep of N trials (explicit variants NL1-SM .. NLN-SM, parallelism N) stores into a real S3
 * server (S3Proxy) with a Secret holding its keys; every trial's folder holds a {@code
 * progress.json} as the trainer writes it, and the fake Job controller runs every pod. The test
 * plays the N trainers: from the sweep's creation on it rewrites every {@code progress.json} each
 * 30 s (the trainer's default interval) with a new step, loss and {@code updated} time, through a
 * second S3Proxy on the same folder so that its own writes are not counted. Once every TrainingJob
 * runs and shows a report written after all the pods were running (steady state), it measures for
 * a window (default 180 s): it counts the operator's API requests (on its
 * own client, by verb and resource), the S3 calls the operator makes (in the blob store behind the
 * operator's S3 endpoint, by operation and object name) and samples the age of the progress each
 * TrainingJob shows (now minus the {@code updated} of the file it shows). It prints these per
 * running trial and minute, with the heap after GC, and writes them to {@code
 * target/benchmark/progress-traffic.txt}. The one thing it asserts is that progress moves: at the
 * end every trial still runs and shows a report written within the last {@code
 * scalesweep.benchmark.maxAgeSeconds} (default 150) and newer than what it showed when the window
 * began.
 */
@EnabledIfSystemProperty(named = "scalesweep.benchmark", matches = "true")
class ProgressTrafficBenchmarkIT {

  private static final int TRIALS = Integer.getInteger("scalesweep.benchmark.trials", 500);
  private static final Duration WINDOW = Duration.ofSeconds(Long.getLong("scalesweep.benchmark.window.seconds", 180));
  private static final Duration MAX_AGE = Duration.ofSeconds(Long.getLong("scalesweep.benchmark.maxAgeSeconds", 150));
  /** The trainer's default {@code SCALESWEEP_PROGRESS_INTERVAL_SECONDS}. */
  private static final Duration REWRITE = Duration.ofSeconds(30);
  private static final Duration TIMEOUT = Duration.ofMinutes(20);
  private static final long TOTAL_STEPS = 1_000_000L;

  private static final String BUCKET = "sweeps";
  private static final String ROOT = "s3://" + BUCKET + "/runs/";
  private static final String SECRET = "progress-s3";
  private static final String SWEEP = "progress";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void progressOfManyRunningTrials(@TempDir Path dir) throws Exception {
    S3Calls s3Calls = new S3Calls();
    TestApiServer server = TestApiServer.shared();
    RequestCounter requests = new RequestCounter();
    ScheduledExecutorService trainers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "fake-trainers");
      t.setDaemon(true);
      return t;
    });
    // The operator's endpoint counts what reaches its blob store; the "trainers" write through a
    // second server on the same folder, which counts nothing.
    try (S3ProxyServer s3 = new S3ProxyServer(dir.resolve("s3"), s3Calls::wrap);
        S3ProxyServer trainerSide = new S3ProxyServer(dir.resolve("s3"));
        KubernetesClient driverClient = server.newClient()) {
      s3.createBucket(BUCKET);
      String namespace = server.newNamespace(driverClient, "progress");
      driverClient.resource(new SecretBuilder()
          .withNewMetadata().withName(SECRET).withNamespace(namespace).endMetadata()
          .addToStringData("AWS_ACCESS_KEY_ID", S3ProxyServer.IDENTITY)
          .addToStringData("AWS_SECRET_ACCESS_KEY", s3.credential())
          .build()).create();
      FakeJobController jobs = new FakeJobController(driverClient, namespace);

      ScalingSweep sweep = storedSweep(namespace, s3.endpoint());
      List<String> trials = SweepStates.trials(sweep).stream().map(Trial::name).toList();
      assertThat(trials).hasSize(TRIALS);
      Trainers fake = new Trainers(ObjectStores.open(ROOT, trainerSide.options()), namespace + "/" + SWEEP + "/", trials);
      fake.writeAll(); // the first report, before the pods even run

      SharedIndexInformer<TrainingJob> shown = driverClient.resources(TrainingJob.class).inNamespace(namespace).inform();
      long heapBefore = heapAfterGc();
      OperatorUnderTest operator = new OperatorUnderTest(driverClient, namespace).observedBy(requests).start();
      try {
        long t0 = System.nanoTime();
        long requestsAtStart = requests.total();
        driverClient.resource(sweep).create();
        trainers.scheduleAtFixedRate(fake::writeAllQuietly, REWRITE.toMillis(), REWRITE.toMillis(), TimeUnit.MILLISECONDS);
        await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() ->
            driverClient.batch().v1().jobs().inNamespace(namespace).list().getItems().size() >= TRIALS);
        long allJobs = System.nanoTime();
        AtomicLong podsStarted = new AtomicLong();
        await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> podsStarted.addAndGet(jobs.startPods().size()) >= TRIALS);
        long allPods = System.nanoTime();
        Map<String, Long> setupRequests = requests.byKind();
        long setupTotal = requests.total() - requestsAtStart;
        // Steady state: every trial runs and shows a report written after every pod was running.
        long firstSteadyStep = fake.latestStep() + 1;
        await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> shown.getStore().list().stream()
            .filter(t -> t.getStatus() != null && t.getStatus().getProgress() != null
                && t.getStatus().getPhase() == TrialPhase.Running
                && t.getStatus().getProgress().getStep() >= firstSteadyStep)
            .count() >= TRIALS);
        long allProgress = System.nanoTime();

        // The window: every trial runs and shows progress; the trainers keep reporting.
        Map<String, Long> apiBefore = requests.byKind();
        Map<String, Long> s3Before = s3Calls.snapshot();
        Map<String, Long> stepAtStart = steps(shown);
        long windowStart = System.nanoTime();
        long windowEnd = windowStart + WINDOW.toNanos();
        List<Double> maxAgeSamples = new ArrayList<>();
        double maxAgeSeen = 0;
        while (System.nanoTime() < windowEnd) {
          Thread.sleep(Math.min(5_000, Math.max(1, (windowEnd - System.nanoTime()) / 1_000_000)));
          double age = ages(shown, Instant.now()).stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
          maxAgeSamples.add(age);
          maxAgeSeen = Math.max(maxAgeSeen, age);
        }
        Map<String, Long> apiAfter = requests.byKind();
        Map<String, Long> s3After = s3Calls.snapshot();
        double minutes = (System.nanoTime() - windowStart) / 60e9;
        Instant end = Instant.now();
        List<TrainingJob> atEnd = shown.getStore().list();
        List<Double> agesAtEnd = ages(shown, end);
        Map<String, Long> behind = new HashMap<>();
        for (TrainingJob t : atEnd) {
          Long step = t.getStatus() == null || t.getStatus().getProgress() == null ? null : t.getStatus().getProgress().getStep();
          behind.put(t.getMetadata().getName(), step == null ? Long.MAX_VALUE : fake.latestStep() - step);
        }
        trainers.shutdownNow();
        long heapEnd = heapAfterGc();
        ScalingSweep sweepNow = driverClient.resources(ScalingSweep.class).inNamespace(namespace).withName(SWEEP).get();

        StringBuilder report = new StringBuilder();
        double perTrialMinute = TRIALS * minutes;
        report.append(String.format("scalesweep live progress traffic: one sweep of %d trials, all running (parallelism %d), "
            + "storage in S3Proxy, progress.json rewritten every %d s%n", TRIALS, TRIALS, REWRITE.toSeconds()));
        report.append(String.format("setup: apply -> every Job %.1f s, pods started %.1f s (test driver), then every trial shows "
            + "a report written after that %.1f s%n", seconds(t0, allJobs), seconds(allJobs, allPods), seconds(allPods, allProgress)));
        report.append(String.format("  operator API requests from apply until every pod ran (trials pending, then starting): %d%n", setupTotal));
        setupRequests.forEach((k, v) -> report.append(String.format("    %-36s %8d%n", k, v)));
        report.append(String.format("window: %.1f min with %d running trials (%.0f trial-minutes); progress rounds written since apply: %d%n",
            minutes, TRIALS, perTrialMinute, fake.latestStep()));
        Map<String, Long> api = delta(apiBefore, apiAfter);
        long apiTotal = api.values().stream().mapToLong(Long::longValue).sum();
        report.append(String.format("operator API requests: %d, %.3f per running trial per minute%n", apiTotal, apiTotal / perTrialMinute));
        api.forEach((k, v) -> report.append(String.format("    %-36s %8d  %8.3f /trial/min%n", k, v, v / perTrialMinute)));
        long secretGets = api.getOrDefault("GET secrets", 0L);
        long statusPatches = api.getOrDefault("PATCH trainingjobs/status", 0L);
        report.append(String.format("  Secret reads (GET secrets)           %8d  %8.3f /trial/min%n", secretGets, secretGets / perTrialMinute));
        report.append(String.format("  status patches (trainingjobs/status) %8d  %8.3f /trial/min%n", statusPatches, statusPatches / perTrialMinute));
        report.append(String.format("  sweep status patches                 %8d  %8.3f /min%n",
            api.getOrDefault("PATCH scalingsweeps/status", 0L), api.getOrDefault("PATCH scalingsweeps/status", 0L) / minutes));
        Map<String, Long> storage = delta(s3Before, s3After);
        long s3Total = storage.entrySet().stream().filter(e -> !S3Calls.isCapabilityQuery(e.getKey()))
            .mapToLong(Map.Entry::getValue).sum();
        report.append(String.format("operator S3 requests (blob store operations, each one HTTP request): %d, %.3f per running "
            + "trial per minute%n", s3Total, s3Total / perTrialMinute));
        storage.forEach((k, v) -> report.append(String.format("    %-36s %8d  %8.3f /trial/min%s%n", k, v, v / perTrialMinute,
            S3Calls.isCapabilityQuery(k) ? "  (S3Proxy asking its own store, no request)" : "")));
        report.append(String.format("progress age shown (now - status.progress.updated): max over trials, sampled every 5 s: "
            + "max %.1f s, mean of samples %.1f s%n", maxAgeSeen, maxAgeSamples.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)));
        report.append(String.format("  at the end of the window: max %.1f s, median %.1f s; trials behind the trainer's newest "
            + "report by 0/1/2/3+ rounds: %s%n", max(agesAtEnd), median(agesAtEnd), histogram(behind.values())));
        report.append(String.format("sweep status: running %s, etaSeconds %s%n",
            sweepNow.getStatus() == null || sweepNow.getStatus().getTrials() == null ? null : sweepNow.getStatus().getTrials().getRunning(),
            sweepNow.getStatus() == null ? null : sweepNow.getStatus().getEtaSeconds()));
        report.append(String.format("heap after GC: before the operator %d MiB, at the end %d MiB (this JVM: operator, "
            + "S3Proxy x2, API clients, test driver)%n", heapBefore >> 20, heapEnd >> 20));
        System.out.println(report);
        Path out = Path.of("target", "benchmark", "progress-traffic.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());

        assertThat(atEnd).hasSize(TRIALS);
        for (TrainingJob t : atEnd) {
          String name = t.getMetadata().getName();
          assertThat(t.getStatus().getPhase()).as("%s still runs", name).isEqualTo(TrialPhase.Running);
          TrainingProgress p = t.getStatus().getProgress();
          assertThat(p).as("%s shows progress", name).isNotNull();
          assertThat(p.getStep()).as("%s's progress moved during the window", name).isGreaterThan(stepAtStart.get(name));
          assertThat(fake.writtenAt(name, p.getStep()))
              .as("%s shows step %d, a report the trainer wrote (not one made up or mixed up)", name, p.getStep())
              .isEqualTo(p.getUpdated());
          assertThat(Duration.between(Instant.parse(p.getUpdated()), end))
              .as("age of %s's progress (step %d) at the end of the window", name, p.getStep())
              .isLessThanOrEqualTo(MAX_AGE);
        }
      } finally {
        trainers.shutdownNow();
        shown.close();
        operator.close();
        fake.close();
      }
    }
  }

  /** A sweep of N explicit variants NL1-SM .. NLN-SM, all at once, storing into the S3 server. */
  private static ScalingSweep storedSweep(String namespace, String endpoint) {
    ScalingSweep sweep = Fixtures.sweep(SWEEP, List.of(), List.of());
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
    StorageSpec storage = new StorageSpec();
    storage.setUri(ROOT);
    storage.setEndpoint(endpoint);
    storage.setPathStyle(true);
    storage.setSecretRef(SECRET);
    sweep.getSpec().setStorage(storage);
    return sweep;
  }

  /** The N trainers' progress reports: round r writes step r + 1 into every trial's folder. */
  private static final class Trainers implements AutoCloseable {

    private final ObjectStore store;
    private final String sweepKey;
    private final List<String> trials;
    /** Per trial, the {@code updated} written with each step. */
    private final Map<String, Map<Long, String>> written = new ConcurrentHashMap<>();
    private final AtomicLong rounds = new AtomicLong();

    Trainers(ObjectStore store, String sweepKey, List<String> trials) {
      this.store = store;
      this.sweepKey = sweepKey;
      this.trials = trials;
    }

    synchronized void writeAll() throws IOException {
      long step = rounds.get() + 1;
      for (String trial : trials) {
        Instant now = Instant.now();
        TrainingProgress p = new TrainingProgress();
        p.setStage("pretrain");
        p.setStep(step);
        p.setTotalSteps(TOTAL_STEPS);
        p.setLoss(10.0 / Math.sqrt(step));
        p.setTokensPerSecond(5_000.0 + step);
        p.setEtaSeconds((TOTAL_STEPS - step) * 30);
        p.setUpdated(now.toString());
        written.computeIfAbsent(trial, k -> new ConcurrentHashMap<>()).put(step, p.getUpdated());
        store.put(sweepKey + trial + "/" + StorageLayout.PROGRESS_FILE, JSON.writeValueAsBytes(p));
      }
      rounds.set(step);
    }

    void writeAllQuietly() {
      try {
        writeAll();
      } catch (Exception e) {
        System.err.println("fake trainers: a round of progress writes failed: " + e);
      }
    }

    /** The step of the newest complete round. */
    long latestStep() {
      return rounds.get();
    }

    String writtenAt(String trial, long step) {
      Map<Long, String> steps = written.get(trial);
      return steps == null ? null : steps.get(step);
    }

    @Override
    public void close() throws Exception {
      store.close();
    }
  }

  /**
   * Sits in front of S3Proxy's file system store and counts each operation it is asked for, by
   * name and by the last segment of the object key (progress.json, catalog.json...). A dynamic
   * proxy, so that no operation goes uncounted.
   */
  private static final class S3Calls implements InvocationHandler {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private BlobStore delegate;

    BlobStore wrap(BlobStore store) {
      this.delegate = store;
      return (BlobStore) Proxy.newProxyInstance(BlobStore.class.getClassLoader(), new Class<?>[] {BlobStore.class}, this);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getDeclaringClass() == Object.class) {
        return switch (method.getName()) {
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> "counting " + delegate;
        };
      }
      counts.computeIfAbsent(method.getName() + " " + objectName(args), k -> new LongAdder()).increment();
      try {
        return method.invoke(delegate, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }

    /** What S3Proxy asks its store about itself while serving a request; not requests of their own. */
    static boolean isCapabilityQuery(String counted) {
      return counted.startsWith("supports") || counted.startsWith("getMinimumMultipartPartSize");
    }

    Map<String, Long> snapshot() {
      Map<String, Long> copy = new TreeMap<>();
      counts.forEach((k, v) -> copy.put(k, v.sum()));
      return copy;
    }

    private static String objectName(Object[] args) {
      if (args == null || args.length == 0) {
        return "";
      }
      String key = null;
      Object first = args[0];
      if (first instanceof GetObjectRequest r) {
        key = r.key();
      } else if (first instanceof HeadObjectRequest r) {
        key = r.key();
      } else if (first instanceof PutObjectRequest r) {
        key = r.key();
      } else if (first instanceof DeleteObjectRequest r) {
        key = r.key();
      } else if (first instanceof CopyObjectRequest r) {
        key = r.destinationKey();
      } else if (first instanceof ListObjectsV2Request r) {
        return "(list " + (r.prefix() == null ? "" : r.prefix().replaceAll(".*/([^/]*/?)$", "$1")) + ")";
      } else if (args.length >= 2 && args[1] instanceof String s) {
        key = s;
      }
      if (key == null) {
        return "";
      }
      return key.substring(key.lastIndexOf('/') + 1);
    }
  }

  private static Map<String, Long> steps(SharedIndexInformer<TrainingJob> shown) {
    Map<String, Long> steps = new HashMap<>();
    for (TrainingJob t : shown.getStore().list()) {
      steps.put(t.getMetadata().getName(), t.getStatus().getProgress().getStep());
    }
    return steps;
  }

  /** Seconds since each shown report was written; a trial without one counts as infinitely old. */
  private static List<Double> ages(SharedIndexInformer<TrainingJob> shown, Instant now) {
    List<Double> ages = new ArrayList<>();
    for (TrainingJob t : shown.getStore().list()) {
      TrainingProgress p = t.getStatus() == null ? null : t.getStatus().getProgress();
      ages.add(p == null || p.getUpdated() == null ? Double.POSITIVE_INFINITY
          : Duration.between(Instant.parse(p.getUpdated()), now).toMillis() / 1000.0);
    }
    return ages;
  }

  private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> d = new TreeMap<>();
    TreeSet<String> keys = new TreeSet<>(after.keySet());
    keys.addAll(before.keySet());
    for (String k : keys) {
      long v = after.getOrDefault(k, 0L) - before.getOrDefault(k, 0L);
      if (v != 0) {
        d.put(k, v);
      }
    }
    return d;
  }

  private static String histogram(Iterable<Long> behind) {
    long[] h = new long[4];
    for (long b : behind) {
      h[(int) Math.min(3, Math.max(0, b))]++;
    }
    return h[0] + "/" + h[1] + "/" + h[2] + "/" + h[3];
  }

  private static double max(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
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
