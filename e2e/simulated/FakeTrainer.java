// The fake trainer of the simulated GPU cluster (e2e/simulated-cluster): it plants, on each trial
// pod that KWOK runs on a fake node, the result the real trainer would have written and the time
// it would have finished; KWOK's pod stages (e2e/simulated/stages/pod-*.yaml) then finish the pod
// at that time with that result as the trainer container's termination message. The operator is
// unchanged: it reads what it always reads.
//
// Run as a single-file Java program against the api module and fabric8 (both in the operator's
// quarkus-app/lib/main), so params and FLOPs come from the project's own calculators, exactly
// as the real trainer counts them:
//
//   java -cp 'quarkus-app/lib/main/*:quarkus-app/lib/boot/*' FakeTrainer.java watch [options]
//   java -cp ... FakeTrainer.java law SWEEP.yaml [--gpus G] [options]   (the planted results, each
//                                      trial on its resources.byShape GPUs unless --gpus, and
//                                      the Pareto sets and fits they imply, as JSON, no cluster)
//
// Options (also from the environment, SIM_<NAME> with dashes as underscores):
//   --flops-per-gpu-second R  simulated speed of one GPU (default 1e14, an A100 at ~30% of peak)
//   --time-scale S            simulated seconds per wall second (default 1): a trial whose FLOPs
//                             take an hour at R finishes after 3600/S wall seconds
//   --min-seconds M           shortest wall duration of an attempt (default 1)
//
// Why a process and not only a KWOK stage: stage templates see only the pod, and a pod carries
// neither the shape nor params/FLOPs (they are in the trial's ConfigMap), and templates have no
// pow/log for a power law. So this process does the arithmetic once per pod and writes annotations;
// the timing and the status change stay KWOK's.
//
// The planted law (N = params from ParamCounter, D = encoderLayers + decoderLayers):
//   upstream loss        L(N) = 1.5 + 2.5 * (N / 1e6)^-0.3        negLogPerplexity = -L(N)
//   downstream error     e(N, D) = 0.12 + 0.55 * (N / 1e6)^-0.2 * (24 / D)^0.35
//                        score = 100 * (1 - e), clamped to [0, 100]; every fine-tuning task gets
//                        the same score (one task "planted" when the recipe has none)
// so upstream depends on size only (its power-law fit against params is exact: nc = 2.5 * 1e6^0.3
// = 157.74, alpha = -0.3, eInf = 1.5) and downstream also on shape (depth helps, as in the paper). Duration of an attempt
// = FLOPs per step * remaining steps / (R * gpus) simulated seconds. A pod that is disrupted
// before it finishes leaves progress up to its last checkpoint (checkpointEvery steps), which the
// next attempt of the same trial resumes from (remembered while this process runs, and rebuilt
// from the failed pods still listed when it starts).

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.scalesweep.api.analysis.SweepAnalysis;
import io.scalesweep.api.analysis.TrialOutcome;
import io.scalesweep.api.cost.ParamCounter;
import io.scalesweep.api.cost.StepCost;
import io.scalesweep.api.manifest.ManifestReader;
import io.scalesweep.api.resources.TrialResources;
import io.scalesweep.api.shape.Shape;
import io.scalesweep.api.shape.SweepExpander;
import io.scalesweep.api.shape.Trial;
import io.scalesweep.api.shape.TrialSpecs;
import io.scalesweep.api.v1alpha1.FinetuneSpec;
import io.scalesweep.api.v1alpha1.PretrainSpec;
import io.scalesweep.api.v1alpha1.ResourcesSpec;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TaskSpec;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

public class FakeTrainer {

  // Pod annotations this process writes and the stages read.
  static final String PREFIX = "sim.scalesweep.io/";
  static final String FINISH_AT = PREFIX + "finish-at";
  static final String EXIT_CODE = PREFIX + "exit-code";
  static final String RESULT = PREFIX + "result";
  static final String SECONDS_PER_STEP = PREFIX + "seconds-per-step";
  static final String RESUMED_FROM = PREFIX + "resumed-from-step";
  static final String CHECKPOINT_EVERY = PREFIX + "checkpoint-every";

  // What the operator puts on trial pods (operator/.../TrialLabels, TrialPodTemplate).
  static final String COMPONENT_LABEL = "app.kubernetes.io/component";
  static final String TRAINER = "trainer";
  static final String TRIAL_ANNOTATION = "scalesweep.io/training-job-name";
  static final String TRIAL_VOLUME = "trial";
  static final String TRIAL_FILE = "trial.json";
  static final String KWOK_NODE_ANNOTATION = "kwok.x-k8s.io/node";

  static final ObjectMapper JSON = new ObjectMapper()
      .setDefaultPropertyInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);

  record Options(double flopsPerGpuSecond, double timeScale, double minSeconds) {}

  /** The planted law for one trial: quality from the shape, speed from FLOPs and GPUs. */
  record Planted(long params, long flopsPerStep, long steps, int checkpointEvery, long tokensPerStep,
      double negLogPerplexity, double downstreamScore, Map<String, Double> downstream) {

    static Planted of(Shape shape, PretrainSpec pretrain, FinetuneSpec finetune) {
      // The same step cost the planner and the operator's resource rules use.
      StepCost step = StepCost.of(pretrain);
      long params = ParamCounter.count(shape);
      long flops = step.flops(shape);
      double n = params / 1e6;
      double loss = 1.5 + 2.5 * Math.pow(n, -0.3);
      int depth = shape.encoderLayers() + shape.decoderLayers();
      double err = 0.12 + 0.55 * Math.pow(n, -0.2) * Math.pow(24.0 / depth, 0.35);
      double score = 100 * Math.max(0, Math.min(1, 1 - err));
      Map<String, Double> tasks = new LinkedHashMap<>();
      if (finetune != null && finetune.getTasks() != null) {
        for (TaskSpec t : finetune.getTasks()) {
          tasks.put(t.getName(), score);
        }
      }
      if (tasks.isEmpty()) {
        tasks.put("planted", score);
      }
      int every = pretrain.getCheckpointEvery() == null ? 0 : pretrain.getCheckpointEvery();
      return new Planted(params, flops, pretrain.getSteps(), every, step.tokens(), -loss, score, tasks);
    }

    /** Simulated seconds of one optimizer step on {@code gpus} GPUs. */
    double secondsPerStep(Options o, int gpus) {
      return flopsPerStep / (o.flopsPerGpuSecond() * Math.max(1, gpus));
    }

    TrialResult result(Options o, int gpus) {
      double perStep = secondsPerStep(o, gpus);
      TrialResult r = new TrialResult();
      r.setParams(params);
      r.setFlops(flopsPerStep);
      r.setSteps(steps);
      r.setTokensPerSecond(tokensPerStep / perStep);
      r.setStepsPerSecond(1 / perStep);
      r.setFinalLoss(-negLogPerplexity);
      r.setNegLogPerplexity(negLogPerplexity);
      r.setDownstream(downstream);
      r.setDownstreamAverage(downstreamScore);
      r.setSkippedSteps(0L);
      r.setRecomputedSteps(0L);
      r.setWallSeconds(perStep * steps);
      r.setDevice(gpus > 0 ? "simulated-gpu x" + gpus : "simulated-cpu");
      return r;
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      usage();
    }
    Options options = options(args);
    switch (args[0]) {
      case "watch" -> new FakeTrainer(options).watch();
      case "law" -> {
        if (args.length < 2 || args[1].startsWith("--")) {
          usage();
        }
        law(Path.of(args[1]), intOption(args, "--gpus", -1), options);
      }
      default -> usage();
    }
  }

  static void usage() {
    System.err.println("usage: FakeTrainer watch [--flops-per-gpu-second R] [--time-scale S] [--min-seconds M]");
    System.err.println("       FakeTrainer law SWEEP.yaml [--gpus G] [--flops-per-gpu-second R]");
    System.exit(2);
  }

  static Options options(String[] args) {
    return new Options(
        doubleOption(args, "--flops-per-gpu-second", 1e14),
        doubleOption(args, "--time-scale", 1),
        doubleOption(args, "--min-seconds", 1));
  }

  static String option(String[] args, String name) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    String env = System.getenv("SIM_" + name.substring(2).replace('-', '_').toUpperCase());
    return env == null || env.isBlank() ? null : env;
  }

  static double doubleOption(String[] args, String name, double fallback) {
    String v = option(args, name);
    return v == null ? fallback : Double.parseDouble(v);
  }

  static int intOption(String[] args, String name, int fallback) {
    String v = option(args, name);
    return v == null ? fallback : Integer.parseInt(v);
  }

  // --- law: the expected results of a sweep, without a cluster ---------------------------------

  static void law(Path file, int gpusOverride, Options options) throws Exception {
    ScalingSweep sweep = ManifestReader.readSweep(file);
    List<Trial> trials = SweepExpander.expand(sweep.getMetadata().getName(), sweep.getSpec());
    ObjectNode out = JSON.createObjectNode();
    ArrayNode rows = out.putArray("trials");
    List<TrialOutcome> outcomes = new ArrayList<>();
    for (Trial t : trials) {
      Planted p = Planted.of(t.shape(), sweep.getSpec().getPretrain(), sweep.getSpec().getFinetune());
      // Each trial's GPUs as the operator gives its pod: the first byShape rule it matches, else
      // the sweep's plain gpus (throughput, and so a Pareto set, depends on them).
      ResourcesSpec resources = TrialResources.of(sweep.getSpec().getResources(), sweep.getSpec().getPretrain(), t.shape());
      int gpus = gpusOverride >= 0 ? gpusOverride : resources == null || resources.getGpus() == null ? 1 : resources.getGpus();
      TrialResult r = p.result(options, gpus);
      ObjectNode row = rows.addObject();
      row.put("name", t.name());
      row.put("code", t.code());
      row.set("result", JSON.valueToTree(r));
      outcomes.add(new TrialOutcome(t.code(), r.getParams(), r.getFlops(), r.getTokensPerSecond(),
          r.getNegLogPerplexity(), r.getDownstreamAverage()));
    }
    out.set("paretoSets", JSON.valueToTree(SweepAnalysis.paretoSets(outcomes)));
    out.set("fits", JSON.valueToTree(SweepAnalysis.fits(outcomes)));
    System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
  }

  // --- watch: plant results on running trial pods ----------------------------------------------

  private final Options options;
  private final KubernetesClient client = new KubernetesClientBuilder().build();
  private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
  private final Map<String, Boolean> queued = new ConcurrentHashMap<>();
  /** Trial (namespace/name) -> steps saved in a checkpoint by an earlier attempt. */
  private final Map<String, Long> progress = new ConcurrentHashMap<>();
  /** Immutable trial ConfigMaps, by namespace/name. */
  private final Map<String, Planted> plans = new ConcurrentHashMap<>();
  private SharedIndexInformer<Pod> pods;
  private SharedIndexInformer<Node> nodes;

  FakeTrainer(Options options) {
    this.options = options;
  }

  void watch() throws InterruptedException {
    log("watching trainer pods on KWOK nodes: %.3g FLOP/s per GPU, time scale %.3g, at least %.3gs per attempt",
        options.flopsPerGpuSecond(), options.timeScale(), options.minSeconds());
    nodes = client.nodes().inform();
    pods = client.pods().inAnyNamespace().withLabel(COMPONENT_LABEL, TRAINER).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        seen(pod);
      }

      @Override
      public void onUpdate(Pod old, Pod pod) {
        seen(pod);
      }

      @Override
      public void onDelete(Pod pod, boolean unknownFinalState) {
        ended(pod);
      }
    }, Duration.ofMinutes(1).toMillis());
    int workers = 2;
    for (int i = 0; i < workers; i++) {
      Thread t = new Thread(this::work, "plant-" + i);
      t.setDaemon(true);
      t.start();
    }
    Runtime.getRuntime().addShutdownHook(new Thread(client::close));
    Thread.currentThread().join();
  }

  private void seen(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Failed".equals(phase) || pod.getMetadata().getDeletionTimestamp() != null) {
      ended(pod);
      return;
    }
    if (!"Running".equals(phase) || annotation(pod, FINISH_AT) != null) {
      return;
    }
    String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    if (queued.putIfAbsent(key, Boolean.TRUE) == null) {
      queue.add(key);
    }
  }

  /** An attempt that ended before it finished: remember its last checkpoint for the next one. */
  private void ended(Pod pod) {
    String finishAt = annotation(pod, FINISH_AT);
    String perStep = annotation(pod, SECONDS_PER_STEP);
    String every = annotation(pod, CHECKPOINT_EVERY);
    Optional<Instant> started = started(pod);
    String trial = trialKey(pod);
    if (finishAt == null || perStep == null || started.isEmpty() || trial == null
        || "Succeeded".equals(pod.getStatus() == null ? null : pod.getStatus().getPhase())) {
      return;
    }
    Instant end = Instant.now();
    if (end.isAfter(Instant.parse(finishAt))) {
      end = Instant.parse(finishAt);
    }
    double wallPerStep = Double.parseDouble(perStep) / options.timeScale();
    long from = parseLong(annotation(pod, RESUMED_FROM));
    long done = from + (long) (Duration.between(started.get(), end).toMillis() / 1000.0 / wallPerStep);
    long checkpoint = parseLong(every);
    long saved = checkpoint > 0 ? done / checkpoint * checkpoint : from;
    progress.merge(trial, saved, Math::max);
  }

  private void work() {
    while (true) {
      String key;
      try {
        key = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      queued.remove(key);
      try {
        plant(key);
      } catch (RuntimeException e) {
        log("%s: %s; trying again in 5s", key, e);
        sleep(5000);
        if (queued.putIfAbsent(key, Boolean.TRUE) == null) {
          queue.add(key);
        }
      }
    }
  }

  private void plant(String key) {
    Pod pod = pods.getStore().getByKey(key);
    if (pod == null || pod.getMetadata().getDeletionTimestamp() != null || annotation(pod, FINISH_AT) != null
        || pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase())) {
      return;
    }
    Node node = pod.getSpec().getNodeName() == null ? null : nodes.getStore().getByKey(pod.getSpec().getNodeName());
    if (node == null || !"fake".equals(annotation(node, KWOK_NODE_ANNOTATION))) {
      return; // a real node's pod runs the real trainer
    }
    Instant started = started(pod).orElse(Instant.now());
    Map<String, String> annotations = new LinkedHashMap<>();
    String trial = trialKey(pod);
    int gpus = gpus(pod);
    try {
      Planted p = planted(pod);
      long from = trial == null ? 0 : Math.min(progress.getOrDefault(trial, 0L), p.steps());
      double perStep = p.secondsPerStep(options, gpus);
      double wall = Math.max(options.minSeconds(), (p.steps() - from) * perStep / options.timeScale());
      Instant finish = started.plusMillis((long) (wall * 1000));
      annotations.put(FINISH_AT, finish.toString());
      annotations.put(EXIT_CODE, "0");
      annotations.put(RESULT, JSON.writeValueAsString(p.result(options, gpus)));
      annotations.put(SECONDS_PER_STEP, Double.toString(perStep));
      annotations.put(CHECKPOINT_EVERY, Integer.toString(p.checkpointEvery()));
      annotations.put(RESUMED_FROM, Long.toString(from));
      log("%s: %d params, %.3g FLOPs/step x %d steps%s on %d GPU(s) -> finishes in %.1fs (wall)",
          key, p.params(), (double) p.flopsPerStep(), p.steps(), from > 0 ? " (resumed at " + from + ")" : "",
          gpus, Duration.between(Instant.now(), finish).toMillis() / 1000.0);
    } catch (KubernetesClientException e) {
      throw e;
    } catch (Exception e) {
      // What the real trainer does with a recipe it cannot run: exit 1 at once, saying why.
      annotations.put(FINISH_AT, started.toString());
      annotations.put(EXIT_CODE, "1");
      annotations.put(RESULT, "fake trainer: " + e.getMessage());
      log("%s: cannot plan the trial (%s): failing it", key, e.getMessage());
    }
    ObjectNode patch = JSON.createObjectNode();
    patch.putObject("metadata").set("annotations", JSON.valueToTree(annotations));
    client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
  }

  /** The trial the pod runs, from its immutable ConfigMap (read once per trial). */
  private Planted planted(Pod pod) throws Exception {
    String cmName = pod.getSpec().getVolumes().stream()
        .filter(v -> TRIAL_VOLUME.equals(v.getName()) && v.getConfigMap() != null)
        .map(Volume::getConfigMap).map(c -> c.getName()).findFirst()
        .orElseThrow(() -> new IllegalStateException("pod has no '" + TRIAL_VOLUME + "' ConfigMap volume"));
    String key = pod.getMetadata().getNamespace() + "/" + cmName;
    Planted cached = plans.get(key);
    if (cached != null) {
      return cached;
    }
    ConfigMap cm = client.configMaps().inNamespace(pod.getMetadata().getNamespace()).withName(cmName).get();
    if (cm == null || cm.getData() == null || cm.getData().get(TRIAL_FILE) == null) {
      throw new IllegalStateException("ConfigMap " + key + " has no " + TRIAL_FILE);
    }
    // The trainer's own reader: schema defaults filled in, the recipe validated.
    TrainingJob trial = ManifestReader.parse(cm.getData().get(TRIAL_FILE), TrainingJob.class);
    Shape shape = TrialSpecs.toShape(trial.getSpec().getShape(), "spec.shape");
    Planted p = Planted.of(shape, trial.getSpec().getPretrain(), trial.getSpec().getFinetune());
    plans.put(key, p);
    return p;
  }

  private static int gpus(Pod pod) {
    return pod.getSpec().getContainers().stream()
        .filter(c -> TRAINER.equals(c.getName()) && c.getResources() != null && c.getResources().getLimits() != null)
        .flatMap(c -> c.getResources().getLimits().entrySet().stream())
        .filter(e -> e.getKey().endsWith("/gpu"))
        .mapToInt(e -> Quantity.getAmountInBytes(e.getValue()).intValue())
        .sum();
  }

  private static Optional<Instant> started(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    for (ContainerStatus c : pod.getStatus().getContainerStatuses()) {
      if (TRAINER.equals(c.getName()) && c.getState() != null) {
        if (c.getState().getRunning() != null && c.getState().getRunning().getStartedAt() != null) {
          return Optional.of(Instant.parse(c.getState().getRunning().getStartedAt()));
        }
        if (c.getState().getTerminated() != null && c.getState().getTerminated().getStartedAt() != null) {
          return Optional.of(Instant.parse(c.getState().getTerminated().getStartedAt()));
        }
      }
    }
    return Optional.empty();
  }

  private static String trialKey(Pod pod) {
    String trial = annotation(pod, TRIAL_ANNOTATION);
    return trial == null ? null : pod.getMetadata().getNamespace() + "/" + trial;
  }

  private static String annotation(io.fabric8.kubernetes.api.model.HasMetadata o, String key) {
    Map<String, String> a = o.getMetadata().getAnnotations();
    return a == null ? null : a.get(key);
  }

  private static long parseLong(String s) {
    try {
      return s == null ? 0 : Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void log(String format, Object... args) {
    System.out.printf("%s %s%n", Instant.now(), String.format(format, args));
    System.out.flush();
  }
}
