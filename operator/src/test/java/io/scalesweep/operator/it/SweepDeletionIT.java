package io.scalesweep.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.v1alpha1.KeepCheckpoints;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.StorageSpec;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobStatus;
import io.scalesweep.operator.common.Labels;
import io.scalesweep.operator.config.DeletionSettings;
import io.scalesweep.operator.sweep.SweepDeletion;
import io.scalesweep.operator.sweep.SweepDeletionReconciler;
import io.scalesweep.operator.testing.Fixtures;
import io.scalesweep.storage.ObjectStore;
import io.scalesweep.storage.ObjectStores;
import io.scalesweep.storage.S3ProxyServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deleting sweeps against a real API server and a real S3 server (S3Proxy): a finalizer only
 * where objects are to be deleted, the trials stopped before the objects go, and a deletion that
 * ends within its bounded time whatever the store or the Secret does. The test plays garbage
 * collection (the test API server runs no controllers): it deletes the Jobs and pods of deleted
 * TrainingJobs when the test says so.
 */
class SweepDeletionIT {

  private static final String BUCKET = "sweeps";
  private static final String ROOT = "s3://" + BUCKET + "/runs/";
  private static final String SECRET = "s3-credentials";
  private static final Duration TIMEOUT = Duration.ofSeconds(12);

  private final TestApiServer server = TestApiServer.shared();
  private S3ProxyServer s3;
  private ObjectStore store;
  private KubernetesClient client;
  private String namespace;
  private OperatorUnderTest operator;
  private SweepDriver cluster;

  @BeforeEach
  void start(@TempDir Path dir) throws Exception {
    s3 = new S3ProxyServer(dir.resolve("s3"));
    s3.createBucket(BUCKET);
    store = ObjectStores.open(ROOT, s3.options());
    client = server.newClient();
    namespace = server.newNamespace(client, "deletion");
    client.resource(new SecretBuilder()
        .withNewMetadata().withName(SECRET).withNamespace(namespace).endMetadata()
        .addToStringData("AWS_ACCESS_KEY_ID", S3ProxyServer.IDENTITY)
        .addToStringData("AWS_SECRET_ACCESS_KEY", s3.credential())
        .build()).create();
    operator = new OperatorUnderTest(client, namespace).withDeletion(new DeletionSettings(TIMEOUT)).start();
    cluster = new SweepDriver(client, namespace);
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
    operator.close();
    client.close();
    store.close();
    s3.close();
  }

  @Test
  void aSweepThatKeepsItsObjectsGoesAtOnceAndLeavesThem() throws Exception {
    client.resource(sweep("kept", false)).create();
    client.resource(sweep("cleaned", true)).create();
    cluster.nextRunningTrial();
    await().atMost(SweepDriver.TIMEOUT).until(() -> store.exists(namespace + "/kept/" + StorageLayout.OWNER_FILE));
    await().atMost(SweepDriver.TIMEOUT).until(() -> get("cleaned").getMetadata().getFinalizers().contains(SweepDeletionReconciler.FINALIZER));
    assertThat(get("kept").getMetadata().getFinalizers()).as("no finalizer on a sweep that keeps its objects").isEmpty();

    client.resource(get("kept")).delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> get("kept") == null);
    assertThat(store.exists(namespace + "/kept/" + StorageLayout.OWNER_FILE)).as("objects kept").isTrue();
  }

  @Test
  void aSweepCarryingTheFinalizerOfAnEarlierVersionIsReleasedAtOnce() throws Exception {
    // versions before SweepDeletionReconciler put this finalizer on every sweep
    ScalingSweep old = sweep("earlier", false);
    old.getMetadata().setFinalizers(List.of(SweepDeletionReconciler.FINALIZER));
    client.resource(old).create();
    cluster.nextRunningTrial();
    await().atMost(SweepDriver.TIMEOUT).until(() -> store.exists(namespace + "/earlier/" + StorageLayout.OWNER_FILE));

    client.resource(get("earlier")).delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> get("earlier") == null);
    assertThat(store.exists(namespace + "/earlier/" + StorageLayout.OWNER_FILE)).as("objects kept").isTrue();
  }

  @Test
  void deletionStopsTheTrialsAndWaitsForTheirPodsBeforeItDeletesTheObjects() throws Exception {
    client.resource(sweep("ordered", true)).create();
    cluster.nextRunningTrial();
    await().atMost(SweepDriver.TIMEOUT).until(() -> store.exists(namespace + "/ordered/" + StorageLayout.OWNER_FILE));
    // what a trainer would write while it runs
    store.put(namespace + "/ordered/t/checkpoints/step-5/model.params", "w".getBytes(StandardCharsets.UTF_8));

    client.resource(get("ordered")).delete();
    await().atMost(SweepDriver.TIMEOUT).until(() -> unfinishedTrials().isEmpty());
    assertThat(activePods()).as("pods still run after their TrainingJobs went").isPositive();
    Event waiting = awaitEvent(SweepDeletion.REASON_WAITING_FOR_PODS, e -> e.getCount() >= 2);
    assertThat(events(SweepDeletion.REASON_WAITING_FOR_PODS)).as("one Event, counted, not one per pass").containsExactly(waiting);
    assertThat(get("ordered")).as("sweep kept while its trainers run").isNotNull();
    assertThat(store.list(namespace + "/ordered/")).as("objects kept while trainers run").isNotEmpty();

    collectGarbage();
    await().atMost(SweepDriver.TIMEOUT).until(() -> get("ordered") == null);
    assertThat(store.list(namespace + "/ordered/")).isEmpty();
    assertThat(reasons()).contains(SweepDeletion.REASON_STOPPING_TRIALS, "ObjectsDeleted").doesNotContain(SweepDeletion.REASON_OBJECTS_LEFT);
  }

  @Test
  void withTheStoreDownDeletionStopsTheTrialsAndGivesUpWithinItsTime() throws Exception {
    client.resource(sweep("down", true)).create();
    cluster.nextRunningTrial();
    await().atMost(SweepDriver.TIMEOUT).until(() -> store.exists(namespace + "/down/" + StorageLayout.OWNER_FILE));
    s3.stop();

    long asked = System.nanoTime();
    client.resource(get("down")).delete();
    await().atMost(SweepDriver.TIMEOUT).until(() -> unfinishedTrials().isEmpty());
    collectGarbage();
    await().atMost(TIMEOUT.plusSeconds(20)).until(() -> get("down") == null);
    Duration took = Duration.ofNanos(System.nanoTime() - asked);
    assertThat(took).as("gave up after the timeout, not before").isGreaterThanOrEqualTo(TIMEOUT.minusSeconds(1));

    Event left = awaitEvent(SweepDeletion.REASON_OBJECTS_LEFT, e -> true);
    assertThat(left.getType()).isEqualTo("Warning");
    assertThat(left.getMessage()).contains(ROOT + namespace + "/down/").contains("did not finish within 12s");
    Event storageError = awaitEvent("StorageError", e -> true);
    assertThat(events("StorageError")).as("retries counted on one Event").hasSize(1);
    assertThat(storageError.getMessage()).as("no error body from the store").doesNotContain("<?xml").doesNotContain("Exception:");
    s3.start();
    assertThat(store.exists(namespace + "/down/" + StorageLayout.OWNER_FILE)).as("left in storage").isTrue();
  }

  @Test
  void withTheSecretGoneDeletionEndsAtOnce() throws Exception {
    client.resource(sweep("nosecret", true)).create();
    cluster.nextRunningTrial();
    await().atMost(SweepDriver.TIMEOUT).until(() -> store.exists(namespace + "/nosecret/" + StorageLayout.OWNER_FILE));
    client.secrets().inNamespace(namespace).withName(SECRET).delete();

    long asked = System.nanoTime();
    client.resource(get("nosecret")).delete();
    await().atMost(SweepDriver.TIMEOUT).until(() -> get("nosecret") == null);
    assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(TIMEOUT);
    assertThat(awaitEvent(SweepDeletion.REASON_OBJECTS_LEFT, e -> true).getMessage()).contains("Secret " + SECRET + " is gone");
  }

  @Test
  void theForceAnnotationEndsAWaitingDeletionAtOnce() throws Exception {
    client.resource(sweep("forced", true)).create();
    cluster.nextRunningTrial();
    await().atMost(SweepDriver.TIMEOUT).until(() -> store.exists(namespace + "/forced/" + StorageLayout.OWNER_FILE));

    client.resource(get("forced")).delete();
    awaitEvent(SweepDeletion.REASON_WAITING_FOR_PODS, e -> true);
    long asked = System.nanoTime();
    client.resources(ScalingSweep.class).inNamespace(namespace).withName("forced")
        .edit(s -> { s.getMetadata().getAnnotations().put(SweepDeletion.FORCE_ANNOTATION, "true"); return s; });
    await().atMost(SweepDriver.TIMEOUT).until(() -> get("forced") == null);
    assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(TIMEOUT);
    assertThat(awaitEvent(SweepDeletion.REASON_OBJECTS_LEFT, e -> true).getMessage()).contains(SweepDeletion.FORCE_ANNOTATION);
    assertThat(store.exists(namespace + "/forced/" + StorageLayout.OWNER_FILE)).isTrue();
  }

  /** Two trials at a time in the S3 server, with the namespace's Secret. */
  private ScalingSweep sweep(String name, boolean deleteWithSweep) {
    ScalingSweep spec = Fixtures.sweep(name, List.of(2), List.of(1024));
    spec.getMetadata().setNamespace(namespace);
    spec.getMetadata().setUid(null);
    spec.getMetadata().setGeneration(null);
    spec.getMetadata().setAnnotations(new java.util.HashMap<>(Map.of("test", "deletion")));
    spec.getSpec().setParallelism(2);
    StorageSpec storage = new StorageSpec();
    storage.setUri(ROOT);
    storage.setEndpoint(s3.endpoint());
    storage.setPathStyle(true);
    storage.setSecretRef(SECRET);
    storage.setKeepCheckpoints(KeepCheckpoints.FINAL);
    storage.setDeleteOnSweepDeletion(deleteWithSweep);
    spec.getSpec().setStorage(storage);
    return spec;
  }

  private ScalingSweep get(String name) {
    return client.resources(ScalingSweep.class).inNamespace(namespace).withName(name).get();
  }

  private List<TrainingJob> unfinishedTrials() {
    return cluster.trainingJobs().stream()
        .filter(t -> !TrainingJobStatus.finished(t.getStatus()))
        .toList();
  }

  private long activePods() {
    return client.pods().inNamespace(namespace).withLabelSelector(Labels.TRAINER_SELECTOR).list().getItems().stream()
        .filter(p -> !"Succeeded".equals(p.getStatus().getPhase()) && !"Failed".equals(p.getStatus().getPhase()))
        .count();
  }

  /** What garbage collection does once the TrainingJobs are gone: their Jobs go, and the Jobs' pods. */
  private void collectGarbage() {
    Set<String> trials = cluster.trainingJobs().stream().map(t -> t.getMetadata().getUid()).collect(Collectors.toSet());
    for (Job job : client.batch().v1().jobs().inNamespace(namespace).list().getItems()) {
      boolean orphan = job.getMetadata().getOwnerReferences().stream().noneMatch(o -> trials.contains(o.getUid()));
      if (orphan) {
        cluster.jobs().podsOf(job).forEach(p -> client.resource(p).withGracePeriod(0).delete());
        client.resource(job).delete();
      }
    }
  }

  private List<Event> events(String reason) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> "ScalingSweep".equals(e.getInvolvedObject().getKind()) && reason.equals(e.getReason()))
        .toList();
  }

  private List<String> reasons() {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> "ScalingSweep".equals(e.getInvolvedObject().getKind()))
        .map(Event::getReason)
        .toList();
  }

  private Event awaitEvent(String reason, java.util.function.Predicate<Event> condition) {
    return await().atMost(SweepDriver.TIMEOUT).until(
        () -> events(reason).stream().filter(condition).findFirst(), Optional::isPresent).orElseThrow();
  }
}
