package io.scalesweep.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.operator.common.Conditions;
import io.scalesweep.operator.common.ReconcileErrors;
import io.scalesweep.operator.sweep.SweepConditions;
import io.scalesweep.operator.testing.Fixtures;
import io.scalesweep.operator.trainingjob.TrainingJobConditions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Trials that cannot start, against a real API server: they say why in their conditions and in
 * their sweep's, give their slot back after the start deadline without using up the sweep's
 * failure budget, and a reconciliation that throws shows in the status.
 */
class StuckTrialIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  private final TestApiServer server = TestApiServer.shared();
  private KubernetesClient client;
  private String namespace;
  private OperatorUnderTest operator;
  private SweepDriver cluster;

  @BeforeEach
  void start() {
    client = server.newClient();
    namespace = server.newNamespace(client, "stuck");
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
  void aMissingSecretIsShownByTheTrialAndItsSweepAndTheTrialLaunchesOnceItExists() {
    ScalingSweep sweep = nlOnly(Fixtures.sweep("nosecret", List.of(2), List.of(4096)));
    sweep.getSpec().getStorage().setSecretRef("typo-credentials");
    create(sweep);

    TrainingJob waiting = cluster.awaitTrial("nosecret-sm", t -> t.getStatus() != null
        && TrainingJobConditions.REASON_SECRET_NOT_FOUND.equals(readyReason(t)));
    assertThat(Conditions.find(waiting.getStatus().getConditions(), TrainingJobConditions.READY).getMessage())
        .contains("typo-credentials");
    assertThat(job("nosecret-sm")).isNull();
    cluster.awaitSweep("nosecret", s -> Conditions.find(s.getStatus().getConditions(), SweepConditions.READY) != null
        && Conditions.find(s.getStatus().getConditions(), SweepConditions.READY).getMessage().contains("nosecret-sm (SecretNotFound)"));

    client.resource(new SecretBuilder().withNewMetadata().withName("typo-credentials").withNamespace(namespace).endMetadata().build()).create();

    await().atMost(TIMEOUT).until(() -> job("nosecret-sm") != null);
  }

  @Test
  void anUnpullableImageIsShownThenFailedAfterTheStartDeadlineWithoutCountingAgainstTheModel() {
    // Two trials, one at a time, and no failure allowed: a counted failure would stop the sweep.
    ScalingSweep sweep = nlOnly(Fixtures.sweep("pull", List.of(2), List.of(4096)));
    sweep.getSpec().setParallelism(1);
    sweep.getSpec().getFailurePolicy().setMaxFailedTrials(0);
    sweep.getSpec().setStartDeadlineSeconds(15);
    create(sweep);
    Job first = await().atMost(TIMEOUT).until(() -> job("pull-sm"), j -> j != null);

    cluster.jobs().stuckPod(first, "ImagePullBackOff", "Back-off pulling image \"registry.test/trainer:typo\"");

    cluster.awaitTrial("pull-sm", t -> "ImagePullBackOff".equals(readyReason(t)));
    cluster.awaitSweep("pull", s -> Conditions.find(s.getStatus().getConditions(), SweepConditions.READY).getMessage()
        .contains("pull-sm (ImagePullBackOff)"));
    TrainingJob failed = cluster.awaitTrial("pull-sm", t -> t.getStatus() != null && t.getStatus().getPhase() == TrialPhase.Failed);
    var condition = Conditions.find(failed.getStatus().getConditions(), TrainingJobConditions.FAILED);
    assertThat(condition.getReason()).isEqualTo(TrainingJobConditions.REASON_START_DEADLINE_EXCEEDED);
    assertThat(condition.getMessage()).contains("ImagePullBackOff");
    // The Job goes, and with it (garbage collection, which a bare API server does not run) its pod.
    await().atMost(TIMEOUT).until(() -> job("pull-sm") == null);

    // The next trial launches: the failure did not spend the budget of zero.
    await().atMost(TIMEOUT).until(() -> job("pull-nl2-sm") != null);
    ScalingSweep after = cluster.awaitSweep("pull", s -> s.getStatus().getTrials() != null && s.getStatus().getTrials().getFailed() == 1);
    assertThat(Conditions.isTrue(after.getStatus().getConditions(), SweepConditions.FAILED)).isFalse();
    assertThat(Conditions.isTrue(after.getStatus().getConditions(), SweepConditions.STALLED)).isFalse();
  }

  @Test
  void aJobThatCannotCreateItsPodShowsTheJobControllersReason() {
    ScalingSweep sweep = nlOnly(Fixtures.sweep("quota", List.of(2), List.of(4096)));
    sweep.getSpec().setParallelism(1);
    create(sweep);
    Job job = await().atMost(TIMEOUT).until(() -> job("quota-sm"), j -> j != null);

    // What the Job controller records when a ResourceQuota refuses the pod (no pod, no Job condition).
    String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    client.v1().events().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.EventBuilder()
        .withNewMetadata().withName("quota-sm.failedcreate").withNamespace(namespace).endMetadata()
        .withNewInvolvedObject().withApiVersion("batch/v1").withKind("Job").withName("quota-sm").withNamespace(namespace)
        .withUid(job.getMetadata().getUid()).endInvolvedObject()
        .withType("Warning").withReason("FailedCreate")
        .withMessage("Error creating: pods \"quota-sm-x\" is forbidden: exceeded quota: gpus, requested: nvidia.com/gpu=1")
        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1).withNewSource().withComponent("job-controller").endSource()
        .build()).create();

    TrainingJob refused = cluster.awaitTrial("quota-sm", t -> TrainingJobConditions.REASON_FAILED_CREATE.equals(readyReason(t)));
    assertThat(Conditions.find(refused.getStatus().getConditions(), TrainingJobConditions.READY).getMessage()).contains("exceeded quota");
    cluster.awaitSweep("quota", s -> Conditions.find(s.getStatus().getConditions(), SweepConditions.READY).getMessage()
        .contains("quota-sm (FailedCreate)"));
  }

  @Test
  void aReconcileErrorReachesTheStatusAndClearsOnceReconciled() {
    // Someone else's ConfigMap holds the trial's recipe name: creating the recipe fails (409).
    client.resource(new ConfigMapBuilder().withNewMetadata().withName("clash-trial").withNamespace(namespace).endMetadata()
        .addToData("note", "not the operator's").build()).create();
    TrainingJob trial = Fixtures.trainingJob("clash");
    trial.getMetadata().setNamespace(namespace);
    trial.getMetadata().setUid(null);
    trial.getMetadata().setGeneration(null);
    client.resource(trial).create();

    TrainingJob errored = cluster.awaitTrial("clash", t -> t.getStatus() != null
        && Conditions.isTrue(t.getStatus().getConditions(), ReconcileErrors.RECONCILE_ERROR));
    var condition = Conditions.find(errored.getStatus().getConditions(), ReconcileErrors.RECONCILE_ERROR);
    assertThat(condition.getReason()).isEqualTo(ReconcileErrors.REASON_API_REQUEST_FAILED);
    assertThat(condition.getMessage()).contains("409", "clash-trial", "already exists");

    client.configMaps().inNamespace(namespace).withName("clash-trial").delete();

    await().atMost(TIMEOUT).until(() -> job("clash") != null);
    cluster.awaitTrial("clash", t -> Conditions.find(t.getStatus().getConditions(), ReconcileErrors.RECONCILE_ERROR) == null);
  }

  /** Without the FF rule: the base and NL2, in that order. */
  private static ScalingSweep nlOnly(ScalingSweep sweep) {
    sweep.getSpec().setScaling(List.copyOf(sweep.getSpec().getScaling().subList(0, 1)));
    return sweep;
  }

  private void create(ScalingSweep sweep) {
    sweep.getMetadata().setNamespace(namespace);
    sweep.getMetadata().setUid(null);
    sweep.getMetadata().setGeneration(null);
    client.resource(sweep).create();
  }

  private Job job(String name) {
    return client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
  }

  private static String readyReason(TrainingJob t) {
    var ready = t.getStatus() == null ? null : Conditions.find(t.getStatus().getConditions(), TrainingJobConditions.READY);
    return ready == null ? null : ready.getReason();
  }
}
