package io.scalesweep.operator.it;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.api.v1alpha1.TrialResult;
import io.scalesweep.operator.common.Labels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Plays the cluster under a sweep: starts pods for the Jobs the operator creates and ends them
 * as a test says, and watches every TrainingJob of the namespace to record the most that were
 * ever unfinished at once (from the API server's own event stream, not from the operator).
 */
final class SweepDriver implements AutoCloseable {

  static final Duration TIMEOUT = Duration.ofSeconds(90);

  private final KubernetesClient client;
  private final String namespace;
  private final FakeJobController jobs;
  private final Map<String, TrialPhase> phases = new ConcurrentHashMap<>();
  private final AtomicInteger maxUnfinished = new AtomicInteger();
  private final AtomicInteger created = new AtomicInteger();
  private final SharedIndexInformer<TrainingJob> watch;

  SweepDriver(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    this.jobs = new FakeJobController(client, namespace);
    this.watch = client.resources(TrainingJob.class).inNamespace(namespace).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(TrainingJob tj) {
        created.incrementAndGet();
        record(tj);
      }

      @Override
      public void onUpdate(TrainingJob old, TrainingJob tj) {
        record(tj);
      }

      @Override
      public void onDelete(TrainingJob tj, boolean unknown) {
        phases.remove(tj.getMetadata().getName());
      }
    });
  }

  FakeJobController jobs() {
    return jobs;
  }

  private void record(TrainingJob tj) {
    phases.put(tj.getMetadata().getName(), phaseOf(tj));
    long unfinished = phases.values().stream().filter(p -> p == TrialPhase.Pending).count();
    maxUnfinished.accumulateAndGet((int) unfinished, Math::max);
  }

  /** Phase as the parallelism rule sees it: anything not finished counts as Pending here. */
  private static TrialPhase phaseOf(TrainingJob tj) {
    TrialPhase phase = tj.getStatus() == null ? null : tj.getStatus().getPhase();
    return phase != null && phase.isFinished() ? phase : TrialPhase.Pending;
  }

  int maxUnfinished() {
    return maxUnfinished.get();
  }

  /** TrainingJob creations seen: with deterministic names a duplicate would show up as extra adds. */
  int creations() {
    return created.get();
  }

  /** Starts pods for new Jobs, then waits for one live pod and returns it with its trial's name. */
  Map.Entry<String, Pod> nextRunningTrial() {
    return await().atMost(TIMEOUT).until(() -> {
      jobs.startPods();
      return client.pods().inNamespace(namespace).list().getItems().stream()
          .filter(p -> "Running".equals(p.getStatus().getPhase()))
          .findFirst()
          .map(p -> Map.entry(p.getMetadata().getAnnotations().get(Labels.TRAINING_JOB_ANNOTATION), p));
    }, Optional::isPresent).orElseThrow();
  }

  /** Lets the next running trial succeed with the result planted for it, and waits for its status. */
  String succeedNext(Function<TrainingJob, TrialResult> plantedResult) {
    Map.Entry<String, Pod> next = nextRunningTrial();
    TrainingJob tj = trainingJob(next.getKey());
    jobs.succeed(next.getValue(), plantedResult.apply(tj));
    awaitTrial(next.getKey(), t -> t.getStatus() != null && t.getStatus().getPhase() == TrialPhase.Succeeded);
    return next.getKey();
  }

  /** Lets the next running trial's pod fail with the exit code, and waits for the trial to fail. */
  String failNext(int exitCode) {
    Map.Entry<String, Pod> next = nextRunningTrial();
    jobs.fail(next.getValue(), exitCode);
    awaitTrial(next.getKey(), t -> t.getStatus() != null && t.getStatus().getPhase() == TrialPhase.Failed);
    return next.getKey();
  }

  TrainingJob trainingJob(String name) {
    return client.resources(TrainingJob.class).inNamespace(namespace).withName(name).get();
  }

  List<TrainingJob> trainingJobs() {
    return client.resources(TrainingJob.class).inNamespace(namespace).list().getItems();
  }

  TrainingJob awaitTrial(String name, Predicate<TrainingJob> condition) {
    return await().atMost(TIMEOUT).until(() -> trainingJob(name), t -> t != null && condition.test(t));
  }

  ScalingSweep awaitSweep(String name, Predicate<ScalingSweep> condition) {
    return await().atMost(TIMEOUT).until(
        () -> client.resources(ScalingSweep.class).inNamespace(namespace).withName(name).get(),
        s -> s != null && s.getStatus() != null && condition.test(s));
  }

  @Override
  public void close() {
    watch.close();
  }
}
