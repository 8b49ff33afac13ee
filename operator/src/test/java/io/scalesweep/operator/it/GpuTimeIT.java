package io.scalesweep.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBindingBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobStatus;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.operator.common.Conditions;
import io.scalesweep.operator.common.ReconcileErrors;
import io.scalesweep.operator.testing.Fixtures;
import io.scalesweep.operator.testing.PodStates;
import io.scalesweep.operator.trainingjob.TrainingJobConditions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GPU accounting against a real API server: a trial's GPU-seconds are the time its pods ran,
 * stop while a queue holds its Job suspended, and are counted once even when the status write
 * after the trial's end is refused and retried.
 */
class GpuTimeIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String GPU_SECONDS = "scalesweep.gpu.seconds";

  private final TestApiServer server = TestApiServer.shared();
  private KubernetesClient client;
  private String namespace;
  private OperatorUnderTest operator;
  private FakeJobController jobs;

  @BeforeEach
  void start() {
    client = server.newClient();
    namespace = server.newNamespace(client, "gpu");
    operator = new OperatorUnderTest(client, namespace).start();
    jobs = new FakeJobController(client, namespace);
  }

  @AfterEach
  void stop() {
    client.admissionRegistration().v1().validatingAdmissionPolicyBindings().withName(namespace).delete();
    client.admissionRegistration().v1().validatingAdmissionPolicies().withName(namespace).delete();
    operator.close();
    client.close();
  }

  @Test
  void aSuspendedJobShowsAsSuspendedAndStopsCountingGpuTime() throws InterruptedException {
    create("kueued");
    Job job = awaitJob("kueued");
    jobs.startPods();
    await("running").atMost(TIMEOUT).until(() -> get("kueued"), t -> phase(t) == TrialPhase.Running);
    Thread.sleep(2_000);

    jobs.suspend(job);

    TrainingJob suspended = await("suspended").atMost(TIMEOUT).until(() -> get("kueued"),
        t -> TrainingJobConditions.REASON_SUSPENDED.equals(reason(t, TrainingJobConditions.RUNNING)));
    assertThat(suspended.getStatus().getPhase()).isEqualTo(TrialPhase.Pending);
    assertThat(suspended.getStatus().getGpuTime().getRunningSince()).isNull();
    long counted = suspended.getStatus().getGpuTime().getSeconds();
    assertThat(counted).isPositive();
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(gpuSecondsMetric()).isEqualTo(counted));

    Thread.sleep(3_000);
    assertThat(get("kueued").getStatus().getGpuTime().getSeconds()).as("GPU-seconds while suspended").isEqualTo(counted);
    assertThat(gpuSecondsMetric()).isEqualTo(counted);
  }

  @Test
  void gpuTimeIsCountedOnceWhenTheStatusWriteAfterTheEndIsRefusedAndRetried() throws InterruptedException {
    create("retried");
    awaitJob("retried");
    var pod = jobs.startPods().get(0);
    await("running").atMost(TIMEOUT).until(() -> get("retried"), t -> phase(t) == TrialPhase.Running);
    refuseFinishedStatus();
    Thread.sleep(2_000);

    jobs.succeed(pod, PodStates.result(1L, -2.0, null, 1.0));

    // The operator counted the run and tried to write Succeeded; the API server refused it, and
    // the refusal shows in the status (written from the stored one, still Running).
    TrainingJob refused = await("refusal in status").atMost(TIMEOUT).until(() -> get("retried"),
        t -> Conditions.isTrue(t.getStatus().getConditions(), ReconcileErrors.RECONCILE_ERROR));
    assertThat(refused.getStatus().getPhase()).isEqualTo(TrialPhase.Running);
    assertThat(Conditions.find(refused.getStatus().getConditions(), ReconcileErrors.RECONCILE_ERROR).getMessage())
        .contains("the status write after the end is refused");
    assertThat(gpuSecondsMetric()).isPositive();

    client.admissionRegistration().v1().validatingAdmissionPolicyBindings().withName(namespace).delete();

    TrainingJob done = await("succeeded").atMost(TIMEOUT).until(() -> get("retried"), t -> phase(t) == TrialPhase.Succeeded);
    long seconds = done.getStatus().getGpuTime().getSeconds();
    assertThat(seconds).isPositive();
    assertThat(done.getStatus().getConditions()).noneSatisfy(c -> assertThat(c.getType()).isEqualTo(ReconcileErrors.RECONCILE_ERROR));
    assertThat(gpuSecondsMetric()).as("GPU-seconds in the metric").isEqualTo(seconds);
  }

  /**
   * A ValidatingAdmissionPolicy that refuses, in this namespace, any TrainingJob status saying
   * Succeeded; waits until the API server enforces it (a dry-run write is refused).
   */
  private void refuseFinishedStatus() {
    ValidatingAdmissionPolicy policy = new ValidatingAdmissionPolicyBuilder()
        .withNewMetadata().withName(namespace).endMetadata()
        .withNewSpec()
        .withFailurePolicy("Fail")
        .withNewMatchConstraints()
        .addNewResourceRule().withApiGroups("scalesweep.io").withApiVersions("*").withOperations("UPDATE")
        .withResources("trainingjobs/status").endResourceRule()
        .endMatchConstraints()
        .addNewValidation()
        .withExpression("!has(object.status) || !has(object.status.phase) || object.status.phase != 'Succeeded'")
        .withMessage("test: the status write after the end is refused")
        .endValidation()
        .endSpec()
        .build();
    ValidatingAdmissionPolicyBinding binding = new ValidatingAdmissionPolicyBindingBuilder()
        .withNewMetadata().withName(namespace).endMetadata()
        .withNewSpec().withPolicyName(namespace).withValidationActions("Deny")
        .withNewMatchResources().withNewNamespaceSelector().addToMatchLabels("kubernetes.io/metadata.name", namespace)
        .endNamespaceSelector().endMatchResources()
        .endSpec()
        .build();
    client.resource(policy).create();
    client.resource(binding).create();
    await("policy enforced").atMost(TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() -> {
      TrainingJob probe = get("retried");
      TrainingJobStatus status = probe.getStatus();
      status.setPhase(TrialPhase.Succeeded);
      try {
        client.resource(probe).dryRun().updateStatus();
        return false;
      } catch (KubernetesClientException e) {
        return e.getCode() == 422 || e.getCode() == 403;
      }
    });
  }

  private double gpuSecondsMetric() {
    return operator.registry().find(GPU_SECONDS).tag("namespace", namespace).counters().stream()
        .mapToDouble(Counter::count).sum();
  }

  private void create(String name) {
    TrainingJob trial = Fixtures.trainingJob(name);
    trial.getMetadata().setNamespace(namespace);
    trial.getMetadata().setUid(null);
    trial.getMetadata().setGeneration(null);
    trial.getSpec().getResources().setGpus(1);
    client.resource(trial).create();
  }

  private Job awaitJob(String name) {
    return await("job").atMost(TIMEOUT).until(() -> client.batch().v1().jobs().inNamespace(namespace).withName(name).get(), j -> j != null);
  }

  private TrainingJob get(String name) {
    return client.resources(TrainingJob.class).inNamespace(namespace).withName(name).get();
  }

  private static TrialPhase phase(TrainingJob t) {
    return t == null || t.getStatus() == null ? null : t.getStatus().getPhase();
  }

  private static String reason(TrainingJob t, String type) {
    var c = t == null || t.getStatus() == null ? null : Conditions.find(t.getStatus().getConditions(), type);
    return c == null ? null : c.getReason();
  }
}
