package io.scalesweep.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.operator.common.Conditions;
import io.scalesweep.operator.config.AdmissionPolicy;
import io.scalesweep.operator.config.TrainerSettings;
import io.scalesweep.operator.sweep.SweepConditions;
import io.scalesweep.operator.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An operator whose admin limited what sweeps may ask for: creating a sweep creates pods and
 * makes the operator reach storage, so a sweep outside the limits is reported in its InvalidSpec
 * condition with the field and what is allowed, and launches nothing; a TrainingJob created
 * directly gets no Job.
 */
class AdmissionPolicyIT {

  private static final TestApiServer SERVER = TestApiServer.shared();
  private static final AdmissionPolicy POLICY = new AdmissionPolicy(
      false,
      List.of("https://s3.internal.example:9000"),
      List.of("registry.example/scalesweep/"),
      List.of("research-low"),
      List.of("nvidia.com/gpu"));
  private static KubernetesClient client;
  private static String namespace;
  private static OperatorUnderTest operator;
  private static SweepDriver cluster;

  @BeforeAll
  static void start() {
    client = SERVER.newClient();
    namespace = SERVER.newNamespace(client, "admission");
    TrainerSettings settings = new TrainerSettings(OperatorUnderTest.SETTINGS.image(), "IfNotPresent", POLICY);
    // The Secret the sweeps name exists, so only the policy stands between a refused sweep and
    // its storage.
    client.resource(new SecretBuilder()
        .withNewMetadata().withName(Fixtures.storage().getSecretRef()).withNamespace(namespace).endMetadata()
        .addToStringData("AWS_ACCESS_KEY_ID", "test").addToStringData("AWS_SECRET_ACCESS_KEY", "test")
        .build()).create();
    operator = new OperatorUnderTest(client, settings, namespace).start();
    cluster = new SweepDriver(client, namespace);
  }

  @AfterAll
  static void stop() {
    cluster.close();
    operator.close();
    client.close();
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        refused("no-secret", s -> s.getSpec().getStorage().setSecretRef(null),
            "spec.storage.secretRef", "is required in this cluster"),
        refused("file-storage", s -> s.getSpec().getStorage().setUri("file:///var/lib/scalesweep/"),
            "spec.storage.uri", "must be an s3:// URI in a cluster"),
        refused("endpoint", s -> s.getSpec().getStorage().setEndpoint("http://127.0.0.1:9"),
            "spec.storage.endpoint", "allowed: https://s3.internal.example:9000"),
        refused("image", s -> s.getSpec().setImage("docker.io/someone/miner:1"),
            "spec.image", "must start with one of: registry.example/scalesweep/"),
        refused("priority", s -> s.getSpec().getResources().setPriorityClassName("system-cluster-critical"),
            "spec.resources.priorityClassName", "allowed: research-low"),
        refused("toleration", s -> s.getSpec().getResources().setTolerations(List.of(
                new TolerationBuilder().withKey("node-role.kubernetes.io/control-plane").withOperator("Exists").build())),
            "spec.resources.tolerations[0].key", "allowed: nvidia.com/gpu"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void aSweepOutsideTheAdminsLimitsIsReportedAndLaunchesNothing(
      String name, Consumer<ScalingSweep> change, String field, String mention) throws InterruptedException {
    ScalingSweep sweep = allowed(name);
    change.accept(sweep);
    create(sweep);

    ScalingSweep reported = cluster.awaitSweep(name, s -> Conditions.isTrue(s.getStatus().getConditions(), SweepConditions.INVALID_SPEC));

    Condition invalid = Conditions.find(reported.getStatus().getConditions(), SweepConditions.INVALID_SPEC);
    assertThat(invalid.getReason()).isEqualTo(SweepConditions.REASON_INVALID_FIELD);
    assertThat(invalid.getMessage()).startsWith(field).contains(mention);
    assertThat(Conditions.isTrue(reported.getStatus().getConditions(), SweepConditions.STALLED)).isTrue();
    Thread.sleep(Duration.ofSeconds(1).toMillis());
    assertThat(cluster.trainingJobs()).noneMatch(tj -> tj.getSpec().getSweep().equals(name));
  }

  /**
   * The operator's own file system under a file:// URI: a refused sweep neither claims it (no
   * owner.json) nor, deleted with deleteOnSweepDeletion, deletes anything there.
   */
  @Test
  void aRefusedSweepNeverTouchesTheStorageItNames(@TempDir Path root) throws Exception {
    Path folder = Files.createDirectories(root.resolve(namespace).resolve("local"));
    Path planted = Files.writeString(folder.resolve("keep.txt"), "the operator's own file");
    ScalingSweep sweep = allowed("local");
    sweep.getSpec().getStorage().setUri(root.toUri().toString());
    sweep.getSpec().getStorage().setDeleteOnSweepDeletion(true);
    create(sweep);
    cluster.awaitSweep("local", s -> Conditions.isTrue(s.getStatus().getConditions(), SweepConditions.INVALID_SPEC));
    Thread.sleep(Duration.ofSeconds(1).toMillis());

    client.resources(ScalingSweep.class).inNamespace(namespace).withName("local").delete();
    org.awaitility.Awaitility.await().atMost(SweepDriver.TIMEOUT).until(() ->
        client.resources(ScalingSweep.class).inNamespace(namespace).withName("local").get() == null);

    try (Stream<Path> files = Files.walk(root)) {
      assertThat(files.filter(Files::isRegularFile)).containsExactly(planted);
    }
  }

  @Test
  void aSweepWithinTheLimitsRuns() {
    create(allowed("allowed"));

    org.awaitility.Awaitility.await().atMost(SweepDriver.TIMEOUT).untilAsserted(() ->
        assertThat(cluster.trainingJobs()).filteredOn(tj -> tj.getSpec().getSweep().equals("allowed")).hasSize(3));
  }

  @Test
  void aTrainingJobCreatedDirectlyWithAnImageOutsideTheLimitsGetsNoJob() throws InterruptedException {
    TrainingJob trial = Fixtures.trainingJob("direct");
    trial.getMetadata().setNamespace(namespace);
    trial.getMetadata().setUid(null);
    trial.getMetadata().setGeneration(null);
    trial.getSpec().getStorage().setEndpoint("https://s3.internal.example:9000");
    trial.getSpec().setImage("docker.io/someone/miner:1");
    client.resource(trial).create();

    TrainingJob reported = org.awaitility.Awaitility.await().atMost(SweepDriver.TIMEOUT).until(
        () -> client.resources(TrainingJob.class).inNamespace(namespace).withName("direct").get(),
        t -> t.getStatus() != null && t.getStatus().getPhase() == TrialPhase.Failed);
    assertThat(reported.getStatus().getConditions())
        .anySatisfy(c -> assertThat(c.getMessage()).contains("spec.image", "registry.example/scalesweep/"));
    Thread.sleep(Duration.ofSeconds(1).toMillis());
    assertThat(client.resources(Job.class).inNamespace(namespace).list().getItems())
        .noneMatch(j -> j.getMetadata().getName().startsWith("direct"));
  }

  /** A sweep inside the policy: the allowed endpoint, a Secret, the operator's own image. */
  private static ScalingSweep allowed(String name) {
    ScalingSweep sweep = Fixtures.sweep(name, List.of(8), List.of(4096));
    sweep.getSpec().getStorage().setEndpoint("https://s3.internal.example:9000");
    return sweep;
  }

  private static Arguments refused(String name, Consumer<ScalingSweep> change, String field, String mention) {
    return Arguments.of(name, change, field, mention);
  }

  private static void create(ScalingSweep sweep) {
    sweep.getMetadata().setNamespace(namespace);
    sweep.getMetadata().setUid(null);
    sweep.getMetadata().setGeneration(null);
    client.resource(sweep).create();
  }
}
