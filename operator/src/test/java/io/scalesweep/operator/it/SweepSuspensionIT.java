package io.scalesweep.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalesweep.api.shape.Trial;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.SuspendPolicy;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.operator.common.Conditions;
import io.scalesweep.operator.common.Labels;
import io.scalesweep.operator.sweep.SweepConditions;
import io.scalesweep.operator.testing.Fixtures;
import io.scalesweep.operator.testing.PodStates;
import io.scalesweep.operator.testing.SweepStates;
import io.scalesweep.operator.trainingjob.TrainingJobConditions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A sweep's {@code suspend} against a real API server. Under {@code suspendPolicy: StopRunning}
 * its running trials stop (their Jobs are deleted, their pods go, they count no GPU time) and
 * resume with new Jobs, their retries carried over; under the default policy running trials run
 * on. The test plays the Job controller and garbage collection.
 */
class SweepSuspensionIT {

  private final TestApiServer server = TestApiServer.shared();
  private KubernetesClient client;
  private String namespace;
  private OperatorUnderTest operator;
  private SweepDriver cluster;

  @BeforeEach
  void start() {
    client = server.newClient();
    namespace = server.newNamespace(client, "suspend");
    operator = new OperatorUnderTest(client, namespace).start();
    cluster = new SweepDriver(client, namespace);
  }

  @AfterEach
  void stop() {
    cluster.close();
    operator.close();
    client.close();
  }

  @Test
  void stopRunningStopsTheRunningTrialsAndResumesThemWithTheirRetries() throws InterruptedException {
    ScalingSweep sweep = sweep("halt", SuspendPolicy.StopRunning);
    List<String> names = SweepStates.trials(sweep).stream().map(Trial::name).toList();
    String first = names.get(0);
    String second = names.get(1);
    create(sweep);

    Map<String, Pod> pods = awaitRunning(Set.of(first, second));
    // One retry used before the suspension: it must neither come back nor be used up again.
    cluster.jobs().fail(pods.get(first), 1);
    cluster.awaitTrial(first, t -> Integer.valueOf(1).equals(t.getStatus().getRetries()) && phase(t) == TrialPhase.Running);
    Set<String> jobUids = jobs().stream().map(j -> j.getMetadata().getUid()).collect(Collectors.toSet());
    Thread.sleep(2_000);

    editSweep("halt", s -> s.getSpec().setSuspend(true));

    await("Jobs deleted").atMost(SweepDriver.TIMEOUT).until(() -> jobs().isEmpty());
    collectGarbage();
    for (String name : List.of(first, second)) {
      TrainingJob suspended = cluster.awaitTrial(name, t -> phase(t) == TrialPhase.Pending
          && TrainingJobConditions.REASON_SUSPENDED.equals(reason(t)) && t.getStatus().getGpuTime() != null
          && t.getStatus().getGpuTime().getRunningSince() == null);
      assertThat(suspended.getSpec().getSuspend()).isTrue();
      assertThat(suspended.getStatus().getGpuTime().getSeconds()).isPositive();
    }
    Map<String, Long> counted = gpuSeconds();
    cluster.awaitSweep("halt", s -> Conditions.isTrue(s.getStatus().getConditions(), SweepConditions.SUSPENDED));

    Thread.sleep(3_000);
    assertThat(jobs()).as("no Job while suspended").isEmpty();
    assertThat(cluster.trainingJobs()).as("no new trial launched").hasSize(2);
    assertThat(gpuSeconds()).as("GPU-seconds while suspended").isEqualTo(counted);
    assertThat(cluster.trainingJob(first).getStatus().getRetries()).isEqualTo(1);

    editSweep("halt", s -> s.getSpec().setSuspend(false));

    await("Jobs created anew").atMost(SweepDriver.TIMEOUT).until(() -> jobs().size() == 2);
    assertThat(jobs()).noneMatch(j -> jobUids.contains(j.getMetadata().getUid()));
    Job firstJob = jobs().stream().filter(j -> j.getMetadata().getName().equals(first)).findFirst().orElseThrow();
    assertThat(firstJob.getSpec().getBackoffLimit()).as("maxRetries 2, one used").isEqualTo(1);
    assertThat(cluster.trainingJob(first).getSpec().getSuspend()).isNull();
    awaitRunning(Set.of(first, second));
    assertThat(cluster.trainingJob(first).getStatus().getRetries()).as("retries carried over").isEqualTo(1);

    for (int i = 0; i < names.size(); i++) {
      cluster.succeedNext(tj -> PodStates.result(1_000_000L, -2.0, null, 1000.0));
    }
    ScalingSweep done = cluster.awaitSweep("halt", s -> Conditions.isTrue(s.getStatus().getConditions(), SweepConditions.READY));
    assertThat(done.getStatus().getTrials().getSucceeded()).isEqualTo(names.size());
    assertThat(cluster.trainingJob(first).getStatus().getRetries()).isEqualTo(1);
    assertThat(cluster.trainingJob(second).getStatus().getRetries()).isZero();
    for (String name : List.of(first, second)) {
      assertThat(cluster.trainingJob(name).getStatus().getGpuTime().getSeconds()).isGreaterThanOrEqualTo(counted.get(name));
    }
    assertThat(cluster.maxUnfinished()).isEqualTo(2);
  }

  @Test
  void theDefaultPolicyLetsRunningTrialsRun() throws InterruptedException {
    ScalingSweep sweep = sweep("pause", null);
    List<String> names = SweepStates.trials(sweep).stream().map(Trial::name).toList();
    create(sweep);
    awaitRunning(Set.of(names.get(0), names.get(1)));
    Set<String> jobUids = jobs().stream().map(j -> j.getMetadata().getUid()).collect(Collectors.toSet());

    editSweep("pause", s -> s.getSpec().setSuspend(true));
    cluster.awaitSweep("pause", s -> Conditions.isTrue(s.getStatus().getConditions(), SweepConditions.SUSPENDED));
    Thread.sleep(3_000);

    assertThat(jobs()).extracting(j -> j.getMetadata().getUid()).containsExactlyInAnyOrderElementsOf(jobUids);
    for (String name : List.of(names.get(0), names.get(1))) {
      TrainingJob tj = cluster.trainingJob(name);
      assertThat(phase(tj)).isEqualTo(TrialPhase.Running);
      assertThat(tj.getSpec().getSuspend()).isNull();
    }
    cluster.succeedNext(tj -> PodStates.result(1_000_000L, -2.0, null, 1000.0));
    cluster.succeedNext(tj -> PodStates.result(1_000_000L, -2.0, null, 1000.0));
    Thread.sleep(2_000);
    assertThat(cluster.trainingJobs()).as("no new trial launched while suspended").hasSize(2);
  }

  private ScalingSweep sweep(String name, SuspendPolicy policy) {
    ScalingSweep sweep = Fixtures.sweep(name, List.of(2), List.of(1024));
    sweep.getSpec().setParallelism(2);
    sweep.getSpec().setSuspendPolicy(policy);
    return sweep;
  }

  private void create(ScalingSweep sweep) {
    sweep.getMetadata().setNamespace(namespace);
    sweep.getMetadata().setUid(null);
    sweep.getMetadata().setGeneration(null);
    client.resource(sweep).create();
  }

  private void editSweep(String name, Consumer<ScalingSweep> change) {
    client.resources(ScalingSweep.class).inNamespace(namespace).withName(name).edit(s -> {
      change.accept(s);
      return s;
    });
  }

  /** Starts pods for the trials' Jobs until each of them runs; returns their live pods by trial. */
  private Map<String, Pod> awaitRunning(Set<String> trials) {
    await("running " + trials).atMost(SweepDriver.TIMEOUT).until(() -> {
      cluster.jobs().startPods();
      return trials.stream().allMatch(name -> {
        TrainingJob tj = cluster.trainingJob(name);
        return tj != null && phase(tj) == TrialPhase.Running && cluster.jobs().livePod(name).isPresent();
      });
    });
    return trials.stream().collect(Collectors.toMap(n -> n, n -> cluster.jobs().livePod(n).orElseThrow()));
  }

  /** What garbage collection does after a Job's deletion: its pods go too. */
  private void collectGarbage() {
    Set<String> jobUids = jobs().stream().map(j -> j.getMetadata().getUid()).collect(Collectors.toSet());
    for (Pod pod : client.pods().inNamespace(namespace).withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE).list().getItems()) {
      boolean orphan = pod.getMetadata().getOwnerReferences().stream().noneMatch(o -> jobUids.contains(o.getUid()));
      if (orphan) {
        client.resource(pod).withGracePeriod(0).delete();
      }
    }
  }

  private List<Job> jobs() {
    return client.batch().v1().jobs().inNamespace(namespace).list().getItems();
  }

  private Map<String, Long> gpuSeconds() {
    return cluster.trainingJobs().stream().filter(t -> t.getStatus() != null && t.getStatus().getGpuTime() != null)
        .collect(Collectors.toMap(t -> t.getMetadata().getName(), t -> t.getStatus().getGpuTime().getSeconds()));
  }

  private static TrialPhase phase(TrainingJob tj) {
    return tj.getStatus() == null ? null : tj.getStatus().getPhase();
  }

  private static String reason(TrainingJob tj) {
    var c = Conditions.find(tj.getStatus().getConditions(), TrainingJobConditions.RUNNING);
    return c == null ? null : c.getReason();
  }
}
