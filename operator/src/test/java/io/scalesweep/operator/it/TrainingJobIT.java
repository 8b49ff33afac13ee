package io.scalesweep.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalesweep.api.contract.TrainerContract;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.operator.common.Conditions;
import io.scalesweep.operator.common.Labels;
import io.scalesweep.operator.testing.Fixtures;
import io.scalesweep.operator.testing.PodStates;
import io.scalesweep.operator.trainingjob.TrainingJobConditions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One trial against a real API server: the operator creates the ConfigMap and Job, and turns
 * what the (fake) Job controller and kubelet report into the TrainingJob's status.
 */
class TrainingJobIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final TestApiServer server = TestApiServer.shared();
  private KubernetesClient client;
  private String namespace;
  private OperatorUnderTest operator;
  private FakeJobController jobs;

  @BeforeEach
  void start() {
    client = server.newClient();
    namespace = server.newNamespace(client, "tjob");
    operator = new OperatorUnderTest(client, namespace).start();
    jobs = new FakeJobController(client, namespace);
  }

  @AfterEach
  void stop() {
    operator.close();
    client.close();
  }

  @Test
  void aSucceedingTrialEndsWithItsResultInStatus() {
    TrainingJob trial = create("ok");

    Job job = awaitJob(trial);
    ConfigMap cm = client.configMaps().inNamespace(namespace).withName("ok-trial").get();
    assertThat(cm.getData()).containsKey(TrainerContract.TRIAL_FILE);
    assertThat(job.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getKind()).isEqualTo("TrainingJob"));
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo(OperatorUnderTest.SETTINGS.image());

    Pod pod = jobs.startPods().get(0);
    awaitPhase(trial, TrialPhase.Running);
    jobs.succeed(pod, PodStates.result(60_000_000L, -1.75, 70.0, 9_000.0));

    TrainingJob done = awaitPhase(trial, TrialPhase.Succeeded);
    assertThat(done.getStatus().getResult().getParams()).isEqualTo(60_000_000L);
    assertThat(done.getStatus().getResult().getNegLogPerplexity()).isEqualTo(-1.75);
    assertThat(done.getStatus().getStartTime()).isNotNull();
    assertThat(done.getStatus().getCompletionTime()).isNotNull();
    assertThat(done.getStatus().getJobName()).isEqualTo("ok");
    assertThat(done.getStatus().getRetries()).isZero();
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(eventReasons(trial)).contains("Pending", "Running", "Succeeded"));

    // the finished trial's recipe leaves the cluster (and the operator's cache), and stays gone
    // through the pass its deletion event triggers
    await().atMost(TIMEOUT).until(() -> client.configMaps().inNamespace(namespace).withName("ok-trial").get() == null);
    await().during(java.time.Duration.ofSeconds(2)).atMost(java.time.Duration.ofSeconds(5))
        .until(() -> client.configMaps().inNamespace(namespace).withName("ok-trial").get() == null);
    assertThat(client.batch().v1().jobs().inNamespace(namespace).withName("ok").get()).as("the Job stays until its time to live ends").isNotNull();
    // then the trial is handed over: labelled finished, so the trial controller stops watching it
    await().atMost(TIMEOUT).until(() -> Labels.FINISHED_VALUE.equals(
        client.resources(TrainingJob.class).inNamespace(namespace).withName("ok").get().getMetadata().getLabels().get(Labels.FINISHED)));
    assertThat(client.resources(TrainingJob.class).inNamespace(namespace).withLabel(Labels.FINISHED).list().getItems())
        .extracting(t -> t.getMetadata().getName()).containsExactly("ok");
  }

  @Test
  void aTrialWhosePodCannotStartSaysWhyInItsConditions() {
    TrainingJob trial = create("stuck");
    Job job = awaitJob(trial);

    jobs.stuckPod(job, "CreateContainerConfigError", "secret \"s3-credentals\" not found");

    TrainingJob stuck = await().atMost(TIMEOUT).until(
        () -> client.resources(TrainingJob.class).inNamespace(namespace).withName("stuck").get(),
        t -> t.getStatus() != null && Conditions.find(t.getStatus().getConditions(), TrainingJobConditions.READY) != null
            && "CreateContainerConfigError".equals(
                Conditions.find(t.getStatus().getConditions(), TrainingJobConditions.READY).getReason()));
    assertThat(stuck.getStatus().getPhase()).isEqualTo(TrialPhase.Pending);
    assertThat(Conditions.find(stuck.getStatus().getConditions(), TrainingJobConditions.READY).getMessage())
        .contains("CreateContainerConfigError", "secret \"s3-credentals\" not found");
  }

  @Test
  void aPreemptedPodDoesNotUseUpARetry() {
    TrainingJob trial = create("preempted", 0);
    awaitJob(trial);

    Pod first = jobs.startPods().get(0);
    awaitPhase(trial, TrialPhase.Running);
    jobs.preempt(first);

    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(get(trial).getStatus().getDisruptions()).isEqualTo(1));
    Pod second = jobs.livePod("preempted").orElseThrow();
    assertThat(second.getMetadata().getName()).isNotEqualTo(first.getMetadata().getName());
    jobs.succeed(second, PodStates.result(1L, -2.0, null, 1.0));

    TrainingJob done = awaitPhase(trial, TrialPhase.Succeeded);
    assertThat(done.getStatus().getRetries()).isZero();
    assertThat(done.getStatus().getDisruptions()).isEqualTo(1);
  }

  @Test
  void aFailingTrialIsRetriedMaxRetriesTimesThenFails() {
    TrainingJob trial = create("flaky", 2);
    awaitJob(trial);

    jobs.startPods();
    for (int attempt = 1; attempt <= 3; attempt++) {
      Pod pod = jobs.livePod("flaky").orElseThrow();
      awaitPhase(trial, TrialPhase.Running);
      jobs.fail(pod, 1);
      if (attempt < 3) {
        int retries = attempt;
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(get(trial).getStatus().getRetries()).isEqualTo(retries));
      }
    }

    TrainingJob failed = awaitPhase(trial, TrialPhase.Failed);
    assertThat(failed.getStatus().getRetries()).isEqualTo(2);
    var condition = failed.getStatus().getConditions().stream().filter(c -> c.getType().equals("Failed")).findFirst().orElseThrow();
    assertThat(condition.getStatus()).isEqualTo("True");
    assertThat(condition.getReason()).isEqualTo("RetriesExhausted");
    assertThat(jobs.podsOf(awaitJob(trial))).hasSize(3);
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(eventReasons(trial)).contains("Retrying", "Failed"));
  }

  @Test
  void anInvalidTrialExitIsNotRetried() {
    TrainingJob trial = create("invalid", 3);
    awaitJob(trial);

    Pod pod = jobs.startPods().get(0);
    awaitPhase(trial, TrialPhase.Running);
    jobs.fail(pod, TrainerContract.EXIT_INVALID_TRIAL);

    TrainingJob failed = awaitPhase(trial, TrialPhase.Failed);
    assertThat(failed.getStatus().getRetries()).isZero();
    assertThat(failed.getStatus().getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Failed");
      assertThat(c.getReason()).isEqualTo("InvalidTrial");
    });
  }

  @Test
  void withoutStorageTheTrialFailsAsInvalidAndNoJobIsCreated() {
    TrainingJob trial = Fixtures.trainingJob("nostorage");
    trial.getMetadata().setNamespace(namespace);
    trial.getSpec().setStorage(null);
    client.resource(trial).create();

    TrainingJob failed = awaitPhase(trial, TrialPhase.Failed);
    assertThat(failed.getStatus().getConditions()).anySatisfy(c -> {
      assertThat(c.getReason()).isEqualTo("InvalidSpec");
      assertThat(c.getMessage()).contains("spec.storage.uri");
    });
    assertThat(client.batch().v1().jobs().inNamespace(namespace).withName("nostorage").get()).isNull();
  }

  private TrainingJob create(String name) {
    return create(name, 3);
  }

  private TrainingJob create(String name, int maxRetries) {
    TrainingJob trial = Fixtures.trainingJob(name);
    trial.getMetadata().setNamespace(namespace);
    trial.getMetadata().setUid(null);
    trial.getMetadata().setGeneration(null);
    trial.getSpec().setMaxRetries(maxRetries);
    return client.resource(trial).create();
  }

  private Job awaitJob(TrainingJob trial) {
    return await().atMost(TIMEOUT).until(
        () -> client.batch().v1().jobs().inNamespace(namespace).withName(trial.getMetadata().getName()).get(),
        j -> j != null);
  }

  private TrainingJob awaitPhase(TrainingJob trial, TrialPhase phase) {
    return await().atMost(TIMEOUT).until(() -> get(trial),
        t -> t.getStatus() != null && t.getStatus().getPhase() == phase);
  }

  private TrainingJob get(TrainingJob trial) {
    return client.resources(TrainingJob.class).inNamespace(namespace).withName(trial.getMetadata().getName()).get();
  }

  private List<String> eventReasons(TrainingJob trial) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> trial.getMetadata().getName().equals(e.getInvolvedObject().getName()))
        .map(Event::getReason)
        .toList();
  }
}
