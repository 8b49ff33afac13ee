// The scenarios of the simulated GPU cluster as a benchmark (e2e/simulated-cluster bench): sweeps
// through Kueue on KWOK's fake GPU nodes, with priorities and faults, measured from the outside
// (watches, the API server's /metrics, the operator's /q/metrics) and checked against the fake
// trainer's planted law. Compiled with FakeTrainer.java against the operator build's libraries;
// run by e2e/simulated-cluster, which passes what it knows of the cluster in the environment.
//
//   java -cp ... Bench SCENARIO [--trials N] [--nodes N] [--minutes M] [--report FILE]
//
// Scenarios: thousand (1,000 trials, 16 nodes), priority (a low- and a high-priority sweep in two
// namespaces on 8 nodes), faults (200 trials on 16 nodes: 5% of running pods evicted, one node
// deleted, the operator restarted twice), small (faults with 50 trials on 4 nodes, for the e2e
// suite). Exit code 0 when every check passed, 1 when one failed, 2 for bad usage.
//
// Why the steps are derived rather than fixed: a trial's simulated duration is its FLOPs over the
// simulated GPU speed, so the recipe's steps set how long a scenario runs. Each scenario names the
// wall time the best possible schedule would take (--minutes), and the steps are scaled so that
// the planted law's GPU-seconds over the quota's GPUs give that time.

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.scalesweep.api.manifest.ManifestReader;
import io.scalesweep.api.v1alpha1.ParetoSet;
import io.scalesweep.api.v1alpha1.PowerLawFitStatus;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;

public class Bench {

  static final ObjectMapper JSON = new ObjectMapper()
      .setDefaultPropertyInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);
  static final String BENCH_LABEL = "scalesweep.io/bench";
  static final String TRAINING_JOB_LABEL = "scalesweep.io/training-job";
  static final String GPU = "nvidia.com/gpu";
  /** How long the pod garbage collector leaves a vanished node's pods alone. */
  static final Duration POD_GC_QUARANTINE = Duration.ofSeconds(40);
  /** A pod planted to finish within this of a node's deletion counts as finished before it. */
  static final Duration FINISHING_MARGIN = Duration.ofSeconds(5);

  // --- scenarios -------------------------------------------------------------------------------

  /** One sweep of a scenario; {@code whenQuotaFull}: applied once the earlier ones fill the quota. */
  record SweepPlan(String namespace, String name, int trials, String priorityClass, boolean whenQuotaFull) {}

  record Scenario(String name, int nodes, double idealMinutes, List<SweepPlan> sweeps, boolean faults) {
    int trials() {
      return sweeps.stream().mapToInt(SweepPlan::trials).sum();
    }
  }

  static Scenario scenario(String name, Integer trials, Integer nodes, Double minutes) {
    Scenario s = switch (name) {
      case "thousand" -> new Scenario(name, 16, 8, List.of(
          new SweepPlan("bench-thousand", "thousand", 1000, "scalesweep-low", false)), false);
      case "priority" -> new Scenario(name, 8, 3, List.of(
          new SweepPlan("bench-low", "low", 64, "scalesweep-low", false),
          new SweepPlan("bench-high", "high", 32, "scalesweep-high", true)), false);
      case "faults" -> new Scenario(name, 16, 4, List.of(
          new SweepPlan("bench-faults", "faults", 200, "scalesweep-low", false)), true);
      case "small" -> new Scenario(name, 4, 1.5, List.of(
          new SweepPlan("bench-small", "small", 50, "scalesweep-low", false)), true);
      default -> throw new UsageException("unknown scenario '" + name + "' (thousand, priority, faults, small)");
    };
    List<SweepPlan> sweeps = new ArrayList<>(s.sweeps());
    if (trials != null) {
      if (trials < 1 || trials > SHAPES.size()) {
        throw new UsageException("--trials must be 1.." + SHAPES.size());
      }
      SweepPlan first = sweeps.get(0);
      sweeps.set(0, new SweepPlan(first.namespace(), first.name(), trials, first.priorityClass(), first.whenQuotaFull()));
    }
    return new Scenario(s.name(), nodes == null ? s.nodes() : nodes, minutes == null ? s.idealMinutes() : minutes,
        sweeps, s.faults());
  }

  /**
   * The shapes a sweep draws from: the four bases Small, Base, Large and XL, each with 10 depths,
   * 5 feed-forward widths and 5 head counts; a sweep of n trials takes n of them evenly spread, so
   * every sweep spans Small to XL.
   */
  static final List<String> SHAPES = shapes();

  static List<String> shapes() {
    List<String> codes = new ArrayList<>();
    for (String base : List.of("SM", "BA", "LG", "XL")) {
      for (int nl : new int[] {4, 6, 8, 10, 12, 14, 16, 18, 20, 24}) {
        for (String ff : List.of("1K", "2K", "3K", "4K", "6K")) {
          for (int nh : new int[] {4, 8, 12, 16, 32}) {
            codes.add("NL" + nl + "-FF" + ff + "-NH" + nh + "-" + base);
          }
        }
      }
    }
    return codes;
  }

  static List<String> pick(int n) {
    List<String> picked = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      picked.add(SHAPES.get((int) ((long) i * SHAPES.size() / n)));
    }
    return picked;
  }

  /**
   * The manifest: the paper's recipe at the given steps, GPUs by size (1 up to 100M parameters, 2
   * up to 300M, 4 up to 1B, 8 above, as in examples/small-to-xl.yaml), Kueue's LocalQueue, the S3
   * store of the simulated cluster (a folder of this run's), and
   * parallelism up to the trial count, so Kueue and not the operator decides who waits.
   */
  static String manifest(SweepPlan plan, long steps, String run, String s3Endpoint) {
    long every = Math.max(1, steps / 50);
    String variants = pick(plan.trials()).stream().collect(Collectors.joining(", ", "[", "]"));
    return """
        apiVersion: scalesweep.io/v1alpha1
        kind: ScalingSweep
        metadata: {name: %s}
        spec:
          base: small
          includeBase: false
          variants: %s
          pretrain:
            dataset: {uri: "s3://corpora/c4/en/*.json.gz", textField: text}
            tokenizer: {type: bytes}
            steps: %d
            batchSize: 128
            inputLength: 512
            checkpointEvery: %d
          resources:
            gpus: 8
            cpu: "64"
            memory: 512Gi
            queueName: sim-gpu
            priorityClassName: %s
            byShape:
              - {maxParams: 100000000, gpus: 1, cpu: "8", memory: 64Gi}
              - {maxParams: 300000000, gpus: 2, cpu: "16", memory: 128Gi}
              - {maxParams: 1000000000, gpus: 4, cpu: "32", memory: 256Gi}
          parallelism: %d
          failurePolicy: {maxRetries: 2, maxFailedTrials: 0}
          storage: {uri: "s3://sweeps/%s/", endpoint: "%s", secretRef: s3-credentials}
        """.formatted(plan.name(), variants, steps, every, plan.priorityClass(), Math.min(1000, plan.trials()), run, s3Endpoint);
  }

  // --- entry point -----------------------------------------------------------------------------

  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }

  public static void main(String[] args) throws Exception {
    int code;
    try {
      if (args.length == 0 || args[0].startsWith("-")) {
        throw new UsageException("which scenario? thousand, priority, faults or small");
      }
      Scenario s = scenario(args[0], intOption(args, "--trials"), intOption(args, "--nodes"), doubleOption(args, "--minutes"));
      String report = option(args, "--report");
      code = new Bench(s, report == null ? null : Path.of(report)).run();
    } catch (UsageException e) {
      System.err.println("bench: " + e.getMessage());
      System.err.println("usage: bench thousand|priority|faults|small [--trials N] [--nodes N] [--minutes M] [--report FILE]");
      code = 2;
    }
    System.exit(code);
  }

  static String option(String[] args, String name) {
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals(name)) {
        if (i + 1 >= args.length) {
          throw new UsageException(name + " needs a value");
        }
        return args[i + 1];
      }
      if (args[i].startsWith("--") && List.of("--trials", "--nodes", "--minutes", "--report").stream().noneMatch(args[i]::equals)) {
        throw new UsageException("unknown option " + args[i]);
      }
    }
    return null;
  }

  static Integer intOption(String[] args, String name) {
    return parsedOption(args, name, Integer::valueOf, "a whole number");
  }

  static Double doubleOption(String[] args, String name) {
    return parsedOption(args, name, Double::valueOf, "a number");
  }

  private static <T> T parsedOption(String[] args, String name, java.util.function.Function<String, T> parse, String wanted) {
    String v = option(args, name);
    try {
      return v == null ? null : parse.apply(v);
    } catch (NumberFormatException e) {
      throw new UsageException(name + " wants " + wanted + ", got '" + v + "'");
    }
  }

  static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  // --- what the run records --------------------------------------------------------------------

  /** One trainer pod, an attempt of a trial, as the watch saw it. */
  static final class Attempt {
    final String key;
    final String namespace;
    final String trial;
    volatile String node;
    volatile int gpus;
    volatile Instant start;
    volatile Instant end;
    volatile boolean succeeded;
    volatile Instant finishAt;
    volatile double secondsPerStep;
    volatile long resumedFrom;
    volatile long checkpointEvery;

    Attempt(String key, String namespace, String trial) {
      this.key = key;
      this.namespace = namespace;
      this.trial = trial;
    }

    boolean running(Instant t) {
      return start != null && !start.isAfter(t) && (end == null || end.isAfter(t));
    }
  }

  private final Scenario scenario;
  private final Path reportFile;
  private final Path work;
  /**
   * A folder of the bucket for this run: the objects of a sweep outlive it, and a sweep of the same
   * name that finds them refuses to write there (another sweep's folder).
   */
  private final String runId = "bench-" + Instant.now().getEpochSecond();
  private final String script = env("SIM_SCRIPT", "e2e/simulated-cluster");
  private final String kubectl = env("SIM_KUBECTL", "kubectl");
  private final String kubeconfig = env("KUBECONFIG", "/var/lib/scalesweep-sim/kubeconfig");
  private final String s3Endpoint = env("S3_ENDPOINT", "http://127.0.0.1:9100");
  private final URI operatorMetrics = URI.create(env("SIM_OPERATOR_METRICS", "http://127.0.0.1:8580/q/metrics"));
  private final double timeScale = Double.parseDouble(env("SIM_TIME_SCALE", "10000"));
  private final double minSeconds = Double.parseDouble(env("SIM_MIN_SECONDS", "1"));
  private final int nodeGpus = Integer.parseInt(env("SIM_NODE_GPUS", "8"));
  private final KubernetesClient client = new KubernetesClientBuilder().build();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();
  /** Workload (namespace/name) -> owning Job's name and first admission. */
  private final Map<String, String> workloadJob = new ConcurrentHashMap<>();
  private final Map<String, Instant> firstAdmitted = new ConcurrentHashMap<>();
  /** Workloads Kueue preempted (namespace/name), with the time it said so. */
  private final Map<String, Instant> preempted = new ConcurrentHashMap<>();
  private final Map<String, Instant> applied = new LinkedHashMap<>();
  private final Map<String, JsonNode> laws = new LinkedHashMap<>();
  private final Map<String, Long> stepsBySweep = new HashMap<>();
  private final List<String> evicted = new ArrayList<>();
  private final List<String> restarts = new ArrayList<>();
  private String deletedNode;
  private Instant nodeDeletedAt;
  private final Set<String> onDeletedNode = ConcurrentHashMap.newKeySet();
  /** Pods on the deleted node the bench saw running but that had finished by the time it looked. */
  private final Set<String> finishedOnDeletedNode = ConcurrentHashMap.newKeySet();
  private final AtomicLong peakHeap = new AtomicLong();
  private final AtomicLong heapSamples = new AtomicLong();
  private final Map<String, Long> peakStatus = new ConcurrentHashMap<>();
  private final Set<String> namespaces;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final ObjectNode report = JSON.createObjectNode();
  private final ArrayNode checks = report.putArray("checks");

  Bench(Scenario scenario, Path reportFile) throws IOException {
    this.scenario = scenario;
    this.work = Files.createTempDirectory("scalesweep-bench-");
    this.reportFile = reportFile != null ? reportFile : work.resolve("report.json");
    this.namespaces = scenario.sweeps().stream().map(SweepPlan::namespace).collect(Collectors.toSet());
  }

  int run() throws Exception {
    int quota = scenario.nodes() * nodeGpus;
    log("scenario %s: %d trials in %d sweep(s), %d nodes x %d GPUs (quota %d GPUs), time scale %.0f",
        scenario.name(), scenario.trials(), scenario.sweeps().size(), scenario.nodes(), nodeGpus, quota, timeScale);
    script("nodes", Integer.toString(scenario.nodes()));
    clearEarlierRuns();
    for (SweepPlan plan : scenario.sweeps()) {
      script("queue", plan.namespace());
      client.namespaces().withName(plan.namespace()).edit(n -> {
        n.getMetadata().getLabels().put(BENCH_LABEL, "true");
        return n;
      });
    }
    plan(quota);
    watch();
    Map<String, Double> before = apiRequests();
    Instant t0 = Instant.now();
    Instant end = drive(t0, quota);
    Map<String, Double> after = apiRequests();
    Instant wallEnd = Instant.now();
    informers.forEach(SharedIndexInformer::close);
    measure(t0, end, quota, before, after);
    check(t0);
    report.put("scenario", scenario.name());
    report.put("wallSeconds", Duration.between(t0, wallEnd).toMillis() / 1000.0);
    Files.writeString(reportFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    boolean ok = true;
    for (JsonNode c : checks) {
      ok &= c.get("passed").asBoolean();
    }
    System.out.println();
    System.out.println("report: " + reportFile);
    System.out.println(ok ? "all checks passed" : "SOME CHECKS FAILED");
    client.close();
    return ok ? 0 : 1;
  }

  /** Namespaces of earlier bench runs hold Jobs and quota: delete them and wait until gone. */
  private void clearEarlierRuns() throws InterruptedException {
    var old = client.namespaces().withLabel(BENCH_LABEL, "true").list().getItems();
    if (old.isEmpty()) {
      return;
    }
    log("deleting %d namespace(s) of earlier bench runs", old.size());
    client.namespaces().withLabel(BENCH_LABEL, "true").delete();
    Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
    while (!client.namespaces().withLabel(BENCH_LABEL, "true").list().getItems().isEmpty()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("namespaces of an earlier bench run still exist after 10 minutes");
      }
      Thread.sleep(2000);
    }
  }

  // --- planning: the law, and the steps that make the scenario last its ideal minutes ----------

  private void plan(int quota) throws Exception {
    long probe = 100_000;
    double gpuSeconds = 0;
    double longest = 0;
    for (SweepPlan p : scenario.sweeps()) {
      JsonNode law = law(p, probe);
      for (JsonNode t : law.get("trials")) {
        double sim = t.get("result").get("wallSeconds").asDouble();
        gpuSeconds += sim * gpusOf(t.get("result"));
        longest = Math.max(longest, sim);
      }
    }
    double ideal = Math.max(gpuSeconds / quota, longest) / timeScale;
    long steps = Math.max(1000, Math.round(probe * scenario.idealMinutes() * 60 / ideal / 1000) * 1000);
    for (SweepPlan p : scenario.sweeps()) {
      stepsBySweep.put(p.name(), steps);
      laws.put(p.name(), law(p, steps));
    }
    log("recipe: %,d steps per trial (an ideal schedule takes %.1f wall minutes)", steps, scenario.idealMinutes());
  }

  private JsonNode law(SweepPlan p, long steps) throws Exception {
    Path file = work.resolve(p.name() + ".yaml");
    Files.writeString(file, manifest(p, steps, runId, s3Endpoint));
    return JSON.readTree(script("law", file.toString()));
  }

  /** GPUs of a planted result: its device reads "simulated-gpu xN". */
  static int gpusOf(JsonNode result) {
    String device = result.path("device").asText("");
    int x = device.lastIndexOf('x');
    return x < 0 ? 0 : Integer.parseInt(device.substring(x + 1));
  }

  // --- watching --------------------------------------------------------------------------------

  private void watch() {
    informers.add(client.pods().inAnyNamespace().withLabel("app.kubernetes.io/component", "trainer")
        .inform(handler(this::seenPod, this::podGone), 0));
    informers.add(client.genericKubernetesResources("kueue.x-k8s.io/v1beta2", "Workload").inAnyNamespace()
        .inform(handler(this::seenWorkload, w -> {}), 0));
  }

  static <T> ResourceEventHandler<T> handler(java.util.function.Consumer<T> seen, java.util.function.Consumer<T> deleted) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T o) {
        seen.accept(o);
      }

      @Override
      public void onUpdate(T old, T o) {
        seen.accept(o);
      }

      @Override
      public void onDelete(T o, boolean unknown) {
        deleted.accept(o);
      }
    };
  }

  private void seenPod(Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    Map<String, String> ann = pod.getMetadata().getAnnotations() == null ? Map.of() : pod.getMetadata().getAnnotations();
    if (!namespaces.contains(ns) || ann.get("scalesweep.io/training-job-name") == null) {
      return;
    }
    Attempt a = attempts.computeIfAbsent(pod.getMetadata().getUid(),
        k -> new Attempt(ns + "/" + pod.getMetadata().getName(), ns, ann.get("scalesweep.io/training-job-name")));
    a.node = pod.getSpec().getNodeName();
    a.gpus = pod.getSpec().getContainers().stream()
        .filter(c -> c.getResources() != null && c.getResources().getLimits() != null && c.getResources().getLimits().get(GPU) != null)
        .mapToInt(c -> c.getResources().getLimits().get(GPU).getNumericalAmount().intValue()).sum();
    if (ann.get("sim.scalesweep.io/finish-at") != null) {
      a.finishAt = Instant.parse(ann.get("sim.scalesweep.io/finish-at"));
      a.secondsPerStep = Double.parseDouble(ann.getOrDefault("sim.scalesweep.io/seconds-per-step", "0"));
      a.resumedFrom = Long.parseLong(ann.getOrDefault("sim.scalesweep.io/resumed-from-step", "0"));
      a.checkpointEvery = Long.parseLong(ann.getOrDefault("sim.scalesweep.io/checkpoint-every", "0"));
    }
    var statuses = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
        ? List.<io.fabric8.kubernetes.api.model.ContainerStatus>of() : pod.getStatus().getContainerStatuses();
    for (var c : statuses) {
      if (!"trainer".equals(c.getName()) || c.getState() == null) {
        continue;
      }
      if (c.getState().getRunning() != null && c.getState().getRunning().getStartedAt() != null && a.start == null) {
        a.start = Instant.parse(c.getState().getRunning().getStartedAt());
      }
      if (c.getState().getTerminated() != null) {
        var t = c.getState().getTerminated();
        if (a.start == null && t.getStartedAt() != null) {
          a.start = Instant.parse(t.getStartedAt());
        }
        if (a.end == null) {
          a.end = t.getFinishedAt() != null ? Instant.parse(t.getFinishedAt()) : Instant.now();
        }
        // Also when its deletion was seen first: a pod can finish while it is being deleted.
        a.succeeded = Integer.valueOf(0).equals(t.getExitCode());
      }
    }
    // A pod that is being deleted (evicted, preempted, gone with its node) stops training now.
    if (a.start != null && a.end == null && pod.getMetadata().getDeletionTimestamp() != null) {
      a.end = Instant.now();
    }
  }

  /** A pod deleted at once (the pod garbage collector's force delete) stops training now too. */
  private void podGone(Pod pod) {
    seenPod(pod);
    Attempt a = attempts.get(pod.getMetadata().getUid());
    if (a != null && a.start != null && a.end == null) {
      a.end = Instant.now();
    }
  }

  private void seenWorkload(GenericKubernetesResource w) {
    String ns = w.getMetadata().getNamespace();
    if (!namespaces.contains(ns)) {
      return;
    }
    String key = ns + "/" + w.getMetadata().getName();
    w.getMetadata().getOwnerReferences().stream().filter(o -> "Job".equals(o.getKind())).findFirst()
        .ifPresent(o -> workloadJob.put(key, o.getName()));
    Object status = w.getAdditionalProperties().get("status");
    JsonNode conditions = JSON.valueToTree(status).path("conditions");
    for (JsonNode c : conditions) {
      String type = c.path("type").asText();
      boolean on = "True".equals(c.path("status").asText());
      Instant at = c.hasNonNull("lastTransitionTime") ? Instant.parse(c.get("lastTransitionTime").asText()) : Instant.now();
      if ("Admitted".equals(type) && on) {
        firstAdmitted.putIfAbsent(key, at);
      }
      if ("Evicted".equals(type) && on && "Preempted".equals(c.path("reason").asText())) {
        preempted.putIfAbsent(key, at);
      }
    }
  }

  // --- driving: apply, inject faults, wait --------------------------------------------------------

  private Instant drive(Instant t0, int quota) throws Exception {
    Thread sampler = new Thread(this::sample, "sampler");
    sampler.setDaemon(true);
    sampler.start();
    for (SweepPlan p : scenario.sweeps()) {
      if (!p.whenQuotaFull()) {
        apply(p);
      }
    }
    int total = scenario.trials();
    Duration timeout = Duration.ofSeconds((long) (scenario.idealMinutes() * 60 * 6 + 300));
    Instant lastLog = Instant.EPOCH;
    while (true) {
      Instant now = Instant.now();
      int used = attempts.values().stream().filter(a -> a.running(now)).mapToInt(a -> a.gpus).sum();
      long finished = trialsWhere(a -> a.succeeded);
      for (SweepPlan p : scenario.sweeps()) {
        if (p.whenQuotaFull() && !applied.containsKey(p.name())
            && (used >= 0.9 * quota || Duration.between(t0, now).toSeconds() > 120)) {
          log("%d of %d GPUs busy: applying the %s sweep %s", used, quota, p.priorityClass(), p.name());
          apply(p);
        }
      }
      if (scenario.faults()) {
        faults((double) finished / total);
      }
      if (Duration.between(lastLog, now).toSeconds() >= 30) {
        lastLog = now;
        log("%4ds: %d/%d trials finished, %d running, %d/%d GPUs busy, %d workloads admitted",
            Duration.between(t0, now).toSeconds(), finished, total,
            attempts.values().stream().filter(a -> a.running(now)).count(), used, quota, firstAdmitted.size());
      }
      if (applied.size() == scenario.sweeps().size() && allTerminal()) {
        sampler.interrupt();
        log("every trial finished after %ds", Duration.between(t0, Instant.now()).toSeconds());
        return Instant.now();
      }
      if (Duration.between(t0, now).compareTo(timeout) > 0) {
        sampler.interrupt();
        log("timed out after %ds", timeout.toSeconds());
        return Instant.now();
      }
      Thread.sleep(2000);
    }
  }

  private long trialsWhere(Predicate<Attempt> p) {
    return attempts.values().stream().filter(p).map(a -> a.namespace + "/" + a.trial).distinct().count();
  }

  private void apply(SweepPlan p) throws IOException {
    ScalingSweep sweep = ManifestReader.readSweep(work.resolve(p.name() + ".yaml"));
    client.resource(sweep).inNamespace(p.namespace()).create();
    applied.put(p.name(), Instant.now());
  }

  /** Every sweep's trials exist and none is still pending or running (from the sweeps' counts). */
  private boolean allTerminal() {
    for (SweepPlan p : scenario.sweeps()) {
      ScalingSweep s = client.resources(ScalingSweep.class).inNamespace(p.namespace()).withName(p.name()).get();
      var c = s == null || s.getStatus() == null ? null : s.getStatus().getTrials();
      if (c == null || c.getTotal() == null || c.getTotal() < p.trials()
          || n(c.getSucceeded()) + n(c.getFailed()) < p.trials()) {
        return false;
      }
    }
    return true;
  }

  static int n(Integer i) {
    return i == null ? 0 : i;
  }

  private boolean restarted1;
  private boolean restarted2;
  private boolean evictedOnce;

  /** The faults, each once, as the run passes 15, 30, 45 and 60% of the trials finished. */
  private void faults(double done) throws Exception {
    if (done >= 0.15 && !restarted1) {
      restarted1 = true;
      restartOperator();
    }
    if (done >= 0.30 && !evictedOnce) {
      evictedOnce = true;
      evict();
    }
    if (done >= 0.45 && deletedNode == null) {
      deleteNode();
    }
    if (done >= 0.60 && !restarted2) {
      restarted2 = true;
      restartOperator();
    }
  }

  private void restartOperator() throws Exception {
    Instant at = Instant.now();
    script("operator", "restart");
    restarts.add(at.toString());
    log("operator restarted (%.1fs)", Duration.between(at, Instant.now()).toMillis() / 1000.0);
  }

  /**
   * 5% of the running pods (at least one), through the Eviction API, taking those between 20% and
   * 80% through their attempt, so each has a checkpoint to resume from and work left after it.
   */
  private void evict() {
    Instant now = Instant.now();
    List<Attempt> running = attempts.values().stream().filter(a -> a.running(now)).toList();
    int count = Math.max(1, (int) Math.ceil(running.size() * 0.05));
    List<Attempt> candidates = running.stream().filter(a -> a.finishAt != null).filter(a -> {
      double f = (double) Duration.between(a.start, now).toMillis() / Math.max(1, Duration.between(a.start, a.finishAt).toMillis());
      return f >= 0.2 && f <= 0.8;
    }).sorted(Comparator.comparing(a -> a.key)).limit(count).toList();
    for (Attempt a : candidates) {
      String name = a.key.substring(a.key.indexOf('/') + 1);
      boolean ok = client.pods().inNamespace(a.namespace).withName(name).evict();
      log("evicted %s (%s)", a.key, ok ? "accepted" : "refused");
      if (ok) {
        evicted.add(a.key);
      }
    }
    log("evicted %d of %d running pods", evicted.size(), running.size());
  }

  /**
   * The node with the most trials running and not about to finish is deleted, as when a machine
   * is removed for good.
   */
  private void deleteNode() {
    Instant now = Instant.now();
    Map<String, Long> byNode = attempts.values().stream().filter(a -> a.running(now) && a.node != null && !finishing(a, now))
        .collect(Collectors.groupingBy(a -> a.node, TreeMap::new, Collectors.counting()));
    deletedNode = byNode.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("sim-gpu-0");
    nodeDeletedAt = now;
    attempts.values().stream().filter(a -> a.running(now) && deletedNode.equals(a.node)).forEach(a -> onDeletedNode.add(a.key));
    client.nodes().withName(deletedNode).delete();
    // A pod whose planted end is due about now finishes as its node goes: KWOK's delayed finish
    // stage, once queued, is not called off and would turn a Failed pod Succeeded a moment later
    // (the node deletion is triggered by trials finishing, so this happens, to the same trial
    // in every run). Such a pod is left to finish and to the garbage collector.
    attempts.values().stream()
        .filter(a -> onDeletedNode.contains(a.key) && finishing(a, now))
        .forEach(a -> leaveToPodGc(a.key, client.pods().inNamespace(a.namespace).withName(a.key.split("/", 2)[1])));
    // KWOK plays a pod to the end the fake trainer planted even after its node is gone (a delayed
    // stage is not called off), but a lost machine finishes nothing. So the bench does at once what
    // the pod garbage collector does to a vanished node's pods after its 40 s quarantine: marks
    // them Failed with a DisruptionTarget condition (DeletionByPodGC), then deletes them. Only if
    // still Running, tested in the same patch: a pod KWOK finished a moment ago (the bench's watch
    // had not said so yet) did finish before its node went, and overwriting its phase would leave
    // a Job complete with its result's pod deleted before the operator read it.
    String at = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    for (String key : List.copyOf(onDeletedNode)) {
      String[] nsName = key.split("/", 2);
      var pod = client.pods().inNamespace(nsName[0]).withName(nsName[1]);
      Pod current = pod.get();
      try {
        if (current != null) {
          pod.subresource("status").patch(PatchContext.of(PatchType.JSON), failedIfRunning(current, at));
          pod.withGracePeriod(0).delete();
          continue;
        }
      } catch (KubernetesClientException e) {
        log("%s: %s", key, e.getCode() == 422 ? "no longer Running" : e.getMessage());
      }
      leaveToPodGc(key, pod);
    }
    log("deleted node %s with %d running trials", deletedNode, onDeletedNode.size());
  }

  private static boolean finishing(Attempt a, Instant now) {
    return a.finishAt != null && a.finishAt.isBefore(now.plus(FINISHING_MARGIN));
  }

  /**
   * A pod on the deleted node that finished before the node went: the garbage collector removes
   * it after the same quarantine, by which time its result has been read.
   */
  private void leaveToPodGc(String key, PodResource pod) {
    onDeletedNode.remove(key);
    finishedOnDeletedNode.add(key);
    log("%s finished (or finishes) as its node was deleted; deleted in %d s", key, POD_GC_QUARANTINE.toSeconds());
    Thread gc = new Thread(() -> {
      try {
        Thread.sleep(POD_GC_QUARANTINE.toMillis());
        pod.withGracePeriod(0).delete();
      } catch (InterruptedException | KubernetesClientException ignored) {
        // the run ended first, or the pod went with its Job
      }
    }, "pod-gc");
    gc.setDaemon(true);
    gc.start();
  }

  /**
   * A JSON patch that fails a pod as the pod garbage collector does, and is refused (the test
   * fails) when the pod is no longer Running on the server, whatever the bench's watch says.
   */
  static String failedIfRunning(Pod pod, String at) {
    ArrayNode conditions = JSON.createArrayNode();
    if (pod.getStatus().getConditions() != null) {
      pod.getStatus().getConditions().stream().filter(c -> !"DisruptionTarget".equals(c.getType()))
          .forEach(c -> conditions.add(JSON.valueToTree(c)));
    }
    conditions.addObject().put("type", "DisruptionTarget").put("status", "True").put("reason", "DeletionByPodGC")
        .put("message", "the bench deleted the pod's node").put("lastTransitionTime", at);
    ArrayNode patch = JSON.createArrayNode();
    patch.addObject().put("op", "test").put("path", "/status/phase").put("value", "Running");
    patch.addObject().put("op", "replace").put("path", "/status/phase").put("value", "Failed");
    patch.addObject().put("op", "add").put("path", "/status/conditions").set("value", conditions);
    return patch.toString();
  }

  /** Every 3 s the operator's heap; every 15 s each sweep's status size. */
  private void sample() {
    long ticks = 0;
    while (!Thread.currentThread().isInterrupted()) {
      operatorHeap().ifPresent(h -> {
        peakHeap.accumulateAndGet(h, Math::max);
        heapSamples.incrementAndGet();
      });
      if (ticks++ % 5 == 0) {
        statusSizes();
      }
      try {
        Thread.sleep(3000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private Optional<Long> operatorHeap() {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(operatorMetrics).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return Optional.empty();
      }
      double heap = 0;
      for (String line : r.body().split("\n")) {
        if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
          heap += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return heap > 0 ? Optional.of((long) heap) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // the operator restarting
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private void statusSizes() {
    for (SweepPlan p : scenario.sweeps()) {
      try {
        ScalingSweep s = client.resources(ScalingSweep.class).inNamespace(p.namespace()).withName(p.name()).get();
        if (s != null && s.getStatus() != null) {
          peakStatus.merge(p.name(), (long) JSON.writeValueAsBytes(s.getStatus()).length, Math::max);
        }
      } catch (Exception e) {
        // a sample missed; the next one comes
      }
    }
  }

  /** The API server's request counter (apiserver_request_total) by verb and resource. */
  private Map<String, Double> apiRequests() throws Exception {
    Map<String, Double> counts = new TreeMap<>();
    for (String line : run(List.of(kubectl, "--kubeconfig", kubeconfig, "get", "--raw", "/metrics")).split("\n")) {
      if (!line.startsWith("apiserver_request_total{")) {
        continue;
      }
      String labels = line.substring(line.indexOf('{') + 1, line.lastIndexOf('}'));
      String key = label(labels, "verb") + " " + label(labels, "resource")
          + (label(labels, "subresource").isEmpty() ? "" : "/" + label(labels, "subresource"));
      counts.merge(key, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
    }
    return counts;
  }

  static String label(String labels, String name) {
    int i = labels.indexOf(name + "=\"");
    if (i < 0 || (i > 0 && labels.charAt(i - 1) != ',')) {
      return "";
    }
    int from = i + name.length() + 2;
    return labels.substring(from, labels.indexOf('"', from));
  }

  // --- measuring ---------------------------------------------------------------------------------

  private void measure(Instant t0, Instant end, int quota, Map<String, Double> before, Map<String, Double> after) {
    ObjectNode m = report.putObject("metrics");
    int total = scenario.trials();
    Map<String, Long> stepsByTrial = plannedSteps();
    // When the last trial finished and was first admitted, from the sweep's apply (or t0).
    Instant lastFinish = attempts.values().stream().filter(a -> a.succeeded && a.end != null).map(a -> a.end)
        .max(Comparator.naturalOrder()).orElse(end);
    Instant lastAdmitted = firstAdmitted.values().stream().max(Comparator.naturalOrder()).orElse(end);
    double finishWall = seconds(t0, lastFinish);
    double admitWall = seconds(t0, lastAdmitted);
    m.put("trials", total);
    m.put("nodes", scenario.nodes());
    m.put("quotaGpus", quota);
    m.put("timeScale", timeScale);
    m.put("allAdmittedWallSeconds", admitWall);
    m.put("allAdmittedSimSeconds", admitWall * timeScale);
    m.put("allFinishedWallSeconds", finishWall);
    m.put("allFinishedSimSeconds", finishWall * timeScale);
    for (SweepPlan p : scenario.sweeps()) {
      Instant from = applied.getOrDefault(p.name(), t0);
      ObjectNode s = m.putObject("sweep-" + p.name());
      attempts.values().stream().filter(a -> a.namespace.equals(p.namespace()) && a.succeeded && a.end != null)
          .map(a -> a.end).max(Comparator.naturalOrder()).ifPresent(e -> s.put("finishedWallSeconds", seconds(from, e)));
      firstAdmitted.entrySet().stream().filter(e -> e.getKey().startsWith(p.namespace() + "/")).map(Map.Entry::getValue)
          .max(Comparator.naturalOrder()).ifPresent(e -> s.put("allAdmittedWallSeconds", seconds(from, e)));
      s.put("appliedAfterWallSeconds", seconds(t0, from));
    }

    // The timeline: GPUs busy, trials waiting, nodes' GPUs, integrated over the run.
    TreeMap<Instant, int[]> events = new TreeMap<>(); // [gpus busy delta, trials running delta, finished delta]
    Map<String, List<Attempt>> byTrial = attempts.values().stream().filter(a -> a.start != null)
        .collect(Collectors.groupingBy(a -> a.namespace + "/" + a.trial));
    for (List<Attempt> list : byTrial.values()) {
      for (Attempt a : list) {
        Instant e = a.end == null ? end : a.end;
        add(events, a.start, a.gpus, 1, 0);
        add(events, e, -a.gpus, -1, a.succeeded ? 1 : 0);
      }
    }
    for (SweepPlan p : scenario.sweeps()) {
      add(events, applied.getOrDefault(p.name(), t0), 0, 0, 0);
    }
    if (nodeDeletedAt != null) {
      add(events, nodeDeletedAt, 0, 0, 0);
    }
    double used = 0;
    double available = 0;
    double idleWhileWaiting = 0;
    int busy = 0;
    int running = 0;
    int finished = 0;
    Instant prev = t0;
    for (var e : events.entrySet()) {
      Instant t = e.getKey().isBefore(t0) ? t0 : e.getKey();
      if (t.isAfter(lastFinish)) {
        t = lastFinish;
      }
      double dt = seconds(prev, t);
      if (dt > 0) {
        int capacity = quota - (nodeDeletedAt != null && !prev.isBefore(nodeDeletedAt) ? nodeGpus : 0);
        int submitted = submittedBy(prev);
        used += busy * dt;
        available += capacity * dt;
        if (submitted - finished - running > 0) {
          idleWhileWaiting += Math.max(0, capacity - busy) * dt;
        }
        prev = t;
      }
      busy += e.getValue()[0];
      running += e.getValue()[1];
      finished += e.getValue()[2];
    }
    // What the trials needed: each one's whole run at its GPUs, as the fake trainer times it.
    double needed = 0;
    double longest = 0;
    for (List<Attempt> list : byTrial.values()) {
      Attempt a = list.stream().filter(x -> x.secondsPerStep > 0).findFirst().orElse(null);
      Long steps = a == null ? null : stepsByTrial.get(a.namespace + "/" + a.trial);
      if (a == null || steps == null) {
        continue;
      }
      double sim = Math.max(a.secondsPerStep * steps, minSeconds * timeScale);
      needed += sim * a.gpus;
      longest = Math.max(longest, sim);
    }
    double bestMakespan = Math.max(needed / quota, longest);
    m.put("gpuSecondsUsedSim", used * timeScale);
    m.put("gpuSecondsAvailableSim", available * timeScale);
    m.put("gpuUtilisation", used / Math.max(1e-9, available));
    m.put("gpuSecondsNeededSim", needed);
    m.put("usefulUtilisation", needed / Math.max(1e-9, available * timeScale));
    m.put("bestMakespanSimSeconds", bestMakespan);
    m.put("bestMakespanWallSeconds", bestMakespan / timeScale);
    m.put("bestUtilisation", needed / Math.max(1e-9, quota * bestMakespan));
    m.put("idleGpuSecondsWhileWaitingSim", idleWhileWaiting * timeScale);
    m.put("idleGpuShareWhileWaiting", idleWhileWaiting / Math.max(1e-9, available));

    double requests = 0;
    double writes = 0;
    Map<String, Double> byResource = new TreeMap<>();
    for (var e : after.entrySet()) {
      double d = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
      requests += d;
      String verb = e.getKey().substring(0, e.getKey().indexOf(' '));
      if (Set.of("POST", "PUT", "PATCH", "DELETE").contains(verb)) {
        writes += d;
      }
      byResource.merge(e.getKey(), d, Double::sum);
    }
    m.put("apiRequests", requests);
    m.put("apiRequestsPerTrial", requests / total);
    m.put("apiWritesPerTrial", writes / total);
    ObjectNode top = m.putObject("apiRequestsPerTrialTop");
    byResource.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(10)
        .forEach(e -> top.put(e.getKey(), e.getValue() / total));
    m.put("operatorPeakHeapBytes", peakHeap.get());
    m.put("operatorHeapSamples", heapSamples.get());
    ObjectNode sizes = m.putObject("sweepStatusBytes");
    for (SweepPlan p : scenario.sweeps()) {
      ScalingSweep s = client.resources(ScalingSweep.class).inNamespace(p.namespace()).withName(p.name()).get();
      try {
        sizes.put(p.name() + "-final", s == null || s.getStatus() == null ? 0 : JSON.writeValueAsBytes(s.getStatus()).length);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      sizes.put(p.name() + "-peak", peakStatus.getOrDefault(p.name(), 0L));
    }
    m.put("evictedPods", evicted.size());
    m.put("preemptedWorkloads", preempted.size());
    m.put("operatorRestarts", restarts.size());
    if (deletedNode != null) {
      m.put("deletedNode", deletedNode);
      m.put("trialsOnDeletedNode", onDeletedNode.size());
    }
    printMetrics(m);
  }

  /** Trials of the sweeps applied by then. */
  private int submittedBy(Instant t) {
    return scenario.sweeps().stream().filter(p -> applied.containsKey(p.name()) && !applied.get(p.name()).isAfter(t))
        .mapToInt(SweepPlan::trials).sum();
  }

  private Map<String, Long> plannedSteps() {
    Map<String, Long> steps = new HashMap<>();
    for (SweepPlan p : scenario.sweeps()) {
      for (JsonNode t : laws.get(p.name()).get("trials")) {
        steps.put(p.namespace() + "/" + t.get("name").asText(), t.get("result").get("steps").asLong());
      }
    }
    return steps;
  }

  static void add(TreeMap<Instant, int[]> events, Instant at, int gpus, int running, int finished) {
    int[] e = events.computeIfAbsent(at, k -> new int[3]);
    e[0] += gpus;
    e[1] += running;
    e[2] += finished;
  }

  static double seconds(Instant a, Instant b) {
    return Duration.between(a, b).toMillis() / 1000.0;
  }

  private void printMetrics(ObjectNode m) {
    double scale = m.get("timeScale").asDouble();
    System.out.println();
    System.out.printf("== %s: %d trials, %d nodes, quota %d GPUs (simulated = wall x %.0f)%n",
        scenario.name(), m.get("trials").asInt(), m.get("nodes").asInt(), m.get("quotaGpus").asInt(), scale);
    System.out.printf("every trial admitted after   %8.1f s wall  %10.3g s simulated (%.1f days)%n",
        m.get("allAdmittedWallSeconds").asDouble(), m.get("allAdmittedSimSeconds").asDouble(),
        m.get("allAdmittedSimSeconds").asDouble() / 86400);
    System.out.printf("every trial finished after   %8.1f s wall  %10.3g s simulated (%.1f days)%n",
        m.get("allFinishedWallSeconds").asDouble(), m.get("allFinishedSimSeconds").asDouble(),
        m.get("allFinishedSimSeconds").asDouble() / 86400);
    System.out.printf("best possible on this quota  %8.1f s wall  %10.3g s simulated (trials' GPU-seconds over %d GPUs, or the longest trial)%n",
        m.get("bestMakespanWallSeconds").asDouble(), m.get("bestMakespanSimSeconds").asDouble(), m.get("quotaGpus").asInt());
    System.out.printf("GPU utilisation              %7.1f%% used/available (useful work only: %.1f%%; best possible: %.1f%%)%n",
        100 * m.get("gpuUtilisation").asDouble(), 100 * m.get("usefulUtilisation").asDouble(), 100 * m.get("bestUtilisation").asDouble());
    System.out.printf("GPUs idle while trials waited %6.1f%% of available GPU time (%.3g GPU-s simulated)%n",
        100 * m.get("idleGpuShareWhileWaiting").asDouble(), m.get("idleGpuSecondsWhileWaitingSim").asDouble());
    System.out.printf("API requests per trial       %8.1f (writes %.1f; all clients of the API server)%n",
        m.get("apiRequestsPerTrial").asDouble(), m.get("apiWritesPerTrial").asDouble());
    m.get("apiRequestsPerTrialTop").fields().forEachRemaining(e -> System.out.printf("    %-40s %6.2f%n", e.getKey(), e.getValue().asDouble()));
    System.out.printf("operator peak heap           %8.1f MiB (%d samples of jvm_memory_used_bytes{area=heap})%n",
        m.get("operatorPeakHeapBytes").asDouble() / (1 << 20), m.get("operatorHeapSamples").asLong());
    m.get("sweepStatusBytes").fields().forEachRemaining(e -> System.out.printf("sweep status %-20s %8d bytes%n", e.getKey(), e.getValue().asLong()));
    for (var e : scenario.sweeps()) {
      JsonNode s = m.get("sweep-" + e.name());
      System.out.printf("sweep %-8s applied at %6.1f s, all admitted %6.1f s and finished %6.1f s after it (wall)%n", e.name(),
          s.path("appliedAfterWallSeconds").asDouble(), s.path("allAdmittedWallSeconds").asDouble(), s.path("finishedWallSeconds").asDouble());
    }
    System.out.printf("faults: %d pods evicted, %d workloads preempted, %d operator restarts%s%n",
        m.get("evictedPods").asInt(), m.get("preemptedWorkloads").asInt(), m.get("operatorRestarts").asInt(),
        deletedNode == null ? "" : ", node " + deletedNode + " deleted with " + onDeletedNode.size() + " running trials");
  }

  // --- checking ----------------------------------------------------------------------------------

  private void check(Instant t0) throws Exception {
    System.out.println();
    for (SweepPlan p : scenario.sweeps()) {
      checkSweep(p);
    }
    checkDisrupted();
    if (scenario.faults()) {
      checkRescheduled();
      record("faults injected", evicted.size() > 0 && restarts.size() == 2 && deletedNode != null,
          "%d evicted, %d restarts, node %s deleted", evicted.size(), restarts.size(), deletedNode);
    }
    if (scenario.sweeps().stream().anyMatch(SweepPlan::whenQuotaFull)) {
      checkPreemption();
    }
  }

  private void checkSweep(SweepPlan p) throws Exception {
    JsonNode law = laws.get(p.name());
    List<TrainingJob> trials = client.resources(TrainingJob.class).inNamespace(p.namespace())
        .withLabel("scalesweep.io/sweep", p.name()).list().getItems();
    Set<String> expected = new java.util.TreeSet<>();
    law.get("trials").forEach(t -> expected.add(t.get("name").asText()));
    Set<String> names = trials.stream().map(t -> t.getMetadata().getName()).collect(Collectors.toCollection(java.util.TreeSet::new));
    long succeeded = trials.stream().filter(t -> t.getStatus() != null && t.getStatus().getPhase() != null
        && "Succeeded".equals(t.getStatus().getPhase().toString()) && t.getStatus().getResult() != null).count();
    record(p.name() + ": every trial succeeded with a result, none extra", names.equals(expected) && succeeded == expected.size(),
        "%d TrainingJobs for %d planted trials, %d Succeeded with a result", trials.size(), expected.size(), succeeded);
    List<String> retried = trials.stream().filter(t -> t.getStatus() != null && n(t.getStatus().getRetries()) > 0)
        .map(t -> t.getMetadata().getName() + "=" + t.getStatus().getRetries()).toList();
    int disruptions = trials.stream().mapToInt(t -> t.getStatus() == null ? 0 : n(t.getStatus().getDisruptions())).sum();
    record(p.name() + ": no retry used up (disruptions are not failures)", retried.isEmpty(),
        "retries %s; %d disruptions counted by the operator", retried.isEmpty() ? "0 everywhere" : retried, disruptions);
    Map<String, Long> jobs = client.batch().v1().jobs().inNamespace(p.namespace()).withLabel("scalesweep.io/sweep", p.name())
        .list().getItems().stream().collect(Collectors.groupingBy(j -> j.getMetadata().getLabels().getOrDefault(TRAINING_JOB_LABEL, "?"), Collectors.counting()));
    Map<String, Long> wins = attempts.values().stream().filter(a -> a.namespace.equals(p.namespace()) && a.succeeded)
        .collect(Collectors.groupingBy(a -> a.trial, Collectors.counting()));
    List<String> duplicated = new ArrayList<>();
    jobs.forEach((t, c) -> { if (c > 1) duplicated.add(t + " has " + c + " Jobs"); });
    wins.forEach((t, c) -> { if (c > 1) duplicated.add(t + " finished " + c + " times"); });
    record(p.name() + ": no duplicate Job or run", duplicated.isEmpty() && jobs.size() == expected.size(),
        "%d trials with Jobs, %s", jobs.size(), duplicated.isEmpty() ? "one Job and one finished run each" : duplicated);
    ScalingSweep sweep = client.resources(ScalingSweep.class).inNamespace(p.namespace()).withName(p.name()).get();
    var counts = sweep.getStatus().getTrials();
    record(p.name() + ": the sweep counts every result once", n(counts.getTotal()) == expected.size() && n(counts.getSucceeded()) == expected.size(),
        "status.trials total %d, succeeded %d, failed %d", n(counts.getTotal()), n(counts.getSucceeded()), n(counts.getFailed()));
    comparePareto(p, law, sweep);
  }

  /** What the operator keeps of each Pareto set in a sweep's status: its cheapest codes. */
  static final int STATUS_PARETO_CODES = 100;

  /**
   * The law's sets, as the status holds them: cheapest first, trials of equal cost by code (the
   * order among ties depends on the order the trials were read in, which is no part of the
   * result), cut to the status's bound.
   */
  private void comparePareto(SweepPlan p, JsonNode law, ScalingSweep sweep) {
    Map<String, Map<String, Double>> costs = new HashMap<>();
    law.get("trials").forEach(t -> {
      JsonNode r = t.get("result");
      costs.put(t.get("code").asText(), Map.of("params", r.get("params").asDouble(), "flops", r.get("flops").asDouble(),
          "throughput", 1 / r.get("tokensPerSecond").asDouble()));
    });
    Map<String, List<String>> want = new TreeMap<>();
    law.get("paretoSets").forEach(s -> {
      List<String> codes = new ArrayList<>();
      s.get("codes").forEach(c -> codes.add(c.asText()));
      List<String> ordered = byCost(codes, costs, s.get("cost").asText());
      want.put(s.get("quality").asText() + "/" + s.get("cost").asText(),
          ordered.subList(0, Math.min(STATUS_PARETO_CODES, ordered.size())));
    });
    Map<String, List<String>> got = new TreeMap<>();
    if (sweep.getStatus().getPareto() != null) {
      for (ParetoSet s : sweep.getStatus().getPareto()) {
        got.put(s.getQuality() + "/" + s.getCost(), byCost(s.getCodes(), costs, s.getCost()));
      }
    }
    String sizes = got.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().size()).collect(Collectors.joining(", "));
    record(p.name() + ": Pareto sets equal the planted law's", !want.isEmpty() && want.equals(got),
        want.equals(got) ? "%s" : "differ: status %s, law %s", want.equals(got) ? sizes : got, want);
    List<String> diffs = new ArrayList<>();
    Map<String, JsonNode> lawFits = new TreeMap<>();
    law.get("fits").forEach(f -> lawFits.put(f.get("quality").asText(), f));
    List<PowerLawFitStatus> fits = sweep.getStatus().getFits() == null ? List.of() : sweep.getStatus().getFits();
    for (PowerLawFitStatus f : fits) {
      JsonNode w = lawFits.get(f.getQuality());
      if (w == null || !close(f.getNc(), w.get("nc").asDouble()) || !close(f.getAlpha(), w.get("alpha").asDouble())
          || !close(f.getEInf(), w.get("eInf").asDouble()) || !f.getPoints().equals(w.get("points").asInt())) {
        diffs.add(f.getQuality() + ": status " + JSON.valueToTree(f) + ", law " + w);
      }
    }
    String shown = fits.stream().map(f -> String.format("%s nc=%.4g alpha=%.4f eInf=%.4f (%d points)",
        f.getQuality(), f.getNc(), f.getAlpha(), f.getEInf(), f.getPoints())).collect(Collectors.joining("; "));
    record(p.name() + ": power-law fits equal the planted law's", diffs.isEmpty() && fits.size() == lawFits.size(),
        diffs.isEmpty() ? "%s" : "%s", diffs.isEmpty() ? shown : diffs);
  }

  static List<String> byCost(List<String> codes, Map<String, Map<String, Double>> costs, String cost) {
    return codes.stream().sorted(Comparator.<String>comparingDouble(
        c -> costs.getOrDefault(c, Map.of()).getOrDefault(cost, Double.NaN)).thenComparing(c -> c)).toList();
  }

  static boolean close(Double got, double want) {
    return got != null && Math.abs(got - want) <= 1e-6 * Math.max(1, Math.abs(want));
  }

  /**
   * Every attempt that ended without finishing (evicted, preempted, its node gone) was followed by
   * one that succeeded, starting from the checkpoint the disrupted one had reached (one checkpoint
   * of slack: this process and the fake trainer see the deletion at slightly different times).
   */
  private void checkDisrupted() {
    Map<String, List<Attempt>> byTrial = attempts.values().stream().filter(a -> a.start != null)
        .collect(Collectors.groupingBy(a -> a.namespace + "/" + a.trial));
    int disrupted = 0;
    int resumed = 0;
    List<String> bad = new ArrayList<>();
    for (var e : byTrial.entrySet()) {
      List<Attempt> list = new ArrayList<>(e.getValue());
      list.sort(Comparator.comparing(a -> a.start));
      Long steps = plannedSteps().get(e.getKey());
      for (int i = 0; i < list.size(); i++) {
        Attempt a = list.get(i);
        if (a.succeeded) {
          continue;
        }
        disrupted++;
        Attempt next = i + 1 < list.size() ? list.get(i + 1) : null;
        if (next == null || list.stream().noneMatch(x -> x.succeeded)) {
          bad.add(a.key + " was never followed by a successful attempt");
          continue;
        }
        if (a.finishAt == null || a.secondsPerStep <= 0 || a.checkpointEvery <= 0 || steps == null || a.end == null) {
          continue;
        }
        Instant stop = a.end.isAfter(a.finishAt) ? a.finishAt : a.end;
        long done = a.resumedFrom + (long) (seconds(a.start, stop) / (a.secondsPerStep / timeScale));
        long saved = Math.min(steps, done / a.checkpointEvery * a.checkpointEvery);
        if (saved >= 2 * a.checkpointEvery) {
          if (next.resumedFrom >= saved - a.checkpointEvery && next.resumedFrom <= steps) {
            resumed++;
          } else {
            bad.add(String.format("%s had saved step %d; the next attempt started at %d", a.key, saved, next.resumedFrom));
          }
        }
      }
    }
    boolean expectDisruptions = scenario.faults() || scenario.sweeps().stream().anyMatch(SweepPlan::whenQuotaFull);
    record("disrupted attempts retried and resumed from their checkpoint",
        bad.isEmpty() && (!expectDisruptions || (disrupted > 0 && resumed > 0)),
        "%d attempts disrupted, %d of them past two checkpoints and resumed from there%s", disrupted, resumed,
        bad.isEmpty() ? "" : "; " + bad.subList(0, Math.min(5, bad.size())));
  }

  private void checkRescheduled() {
    List<String> bad = new ArrayList<>();
    Set<String> trials = attempts.values().stream().filter(a -> onDeletedNode.contains(a.key))
        .map(a -> a.namespace + "/" + a.trial).collect(Collectors.toSet());
    for (String t : trials) {
      Optional<Attempt> win = attempts.values().stream().filter(a -> a.succeeded && (a.namespace + "/" + a.trial).equals(t)).findFirst();
      if (win.isEmpty() || deletedNode.equals(win.get().node)) {
        bad.add(t);
      }
    }
    record("a deleted node's trials rescheduled elsewhere and finished", !trials.isEmpty() && bad.isEmpty(),
        "%d trials ran on %s when it was deleted%s%s", trials.size(), deletedNode,
        bad.isEmpty() ? "; all finished on other nodes" : "; not: " + bad,
        finishedOnDeletedNode.isEmpty() ? "" : " (" + finishedOnDeletedNode.size() + " more had just finished there)");
  }

  private void checkPreemption() {
    SweepPlan high = scenario.sweeps().stream().filter(SweepPlan::whenQuotaFull).findFirst().orElseThrow();
    long ofHigh = preempted.keySet().stream().filter(k -> k.startsWith(high.namespace() + "/")).count();
    record("the higher-priority sweep preempted the lower one", preempted.size() > 0 && ofHigh == 0,
        "%d workloads preempted, %d of them of the high-priority sweep", preempted.size(), ofHigh);
  }

  private void record(String name, boolean passed, String format, Object... args) {
    String detail = String.format(format, args);
    ObjectNode c = checks.addObject();
    c.put("name", name);
    c.put("passed", passed);
    c.put("detail", detail);
    System.out.printf("%s %s: %s%n", passed ? "PASS" : "FAIL", name, detail);
  }

  // --- processes -------------------------------------------------------------------------------

  private String script(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(script);
    command.addAll(List.of(args));
    return run(command);
  }

  /** Runs a command; its stderr goes to ours, its stdout is returned. */
  private static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    if (code != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + code);
    }
    return out;
  }

  static void log(String format, Object... args) {
    System.err.printf("[bench %s] %s%n", Instant.now().toString().substring(11, 19), String.format(format, args));
  }
}
