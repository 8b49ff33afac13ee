package io.scalesweep.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalesweep.api.catalog.CatalogEntry;
import io.scalesweep.api.catalog.SweepCatalog;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.contract.StorageOwner;
import io.scalesweep.api.shape.Trial;
import io.scalesweep.api.v1alpha1.KeepCheckpoints;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.StorageSpec;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.api.v1alpha1.TrialResult;
import io.scalesweep.operator.common.Conditions;
import io.scalesweep.operator.common.Json;
import io.scalesweep.operator.common.Labels;
import io.scalesweep.operator.storage.SweepGathering;
import io.scalesweep.operator.sweep.SweepConditions;
import io.scalesweep.operator.testing.Fixtures;
import io.scalesweep.operator.testing.PodStates;
import io.scalesweep.storage.ObjectNotFoundException;
import io.scalesweep.storage.ObjectStore;
import io.scalesweep.storage.ObjectStores;
import io.scalesweep.storage.S3ProxyServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep gathered into a real S3 server (S3Proxy): the catalog, {@code final} pruning of the
 * checkpoints the trainer would have written, and the sweep's objects on deletion.
 */
class SweepStorageIT {

  private static final String BUCKET = "sweeps";
  private static final String ROOT = "s3://" + BUCKET + "/runs/";
  private static final String SECRET = "s3-credentials";
  /** Trial 1 is dominated by trial 0 (more params, worse quality); 0 and 2 are the frontier. */
  private static final double[] QUALITY = {-3.0, -3.2, -2.5};

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
    namespace = server.newNamespace(client, "storage");
    createSecret(namespace);
    operator = new OperatorUnderTest(client, namespace).start();
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
  void aFinishedSweepHasItsCatalogAndOnlyTheFinalCheckpointsAndDeletionRemovesItsObjects() throws Exception {
    ScalingSweep sweep = runSweep("gathered", true);
    List<Trial> trials = trialsOf(sweep);

    ScalingSweep done = cluster.awaitSweep("gathered", s -> Conditions.isTrue(s.getStatus().getConditions(), SweepConditions.READY)
        && s.getStatus().getCatalogUri() != null
        && Conditions.isTrue(s.getStatus().getConditions(), SweepGathering.CATALOG_WRITTEN));
    assertThat(done.getStatus().getCatalogUri()).isEqualTo(ROOT + namespace + "/gathered/catalog.json");

    SweepCatalog catalog = await().atMost(SweepDriver.TIMEOUT).until(() -> catalog("gathered"),
        c -> c != null && c.trials().stream().allMatch(e -> e.phase() == TrialPhase.Succeeded && e.checkpointUri() != null));
    assertThat(catalog.trials()).extracting(CatalogEntry::name).containsExactlyElementsOf(trials.stream().map(Trial::name).toList());
    for (int i = 0; i < trials.size(); i++) {
      CatalogEntry e = catalog.trials().get(i);
      String trialUri = ROOT + namespace + "/gathered/" + trials.get(i).name() + "/";
      assertThat(e.result().getNegLogPerplexity()).isEqualTo(QUALITY[i]);
      assertThat(e.resultUri()).isEqualTo(trialUri + "result.json");
      assertThat(e.checkpointUri()).isEqualTo(trialUri + "checkpoints/step-20/");
      boolean dominated = i == 1;
      assertThat(e.pareto().isEmpty()).as("trial %d is off every frontier", i).isEqualTo(dominated);
      String trial = namespace + "/gathered/" + trials.get(i).name();
      assertThat(store.list(trial + "/checkpoints/"))
          .as("final pruning keeps step-20 only")
          .containsExactly(
              trial + "/checkpoints/step-20/manifest.json",
              trial + "/checkpoints/step-20/model.params");
    }
    assertThat(catalog.pareto()).isNotEmpty();

    client.resource(done).delete();
    await().atMost(SweepDriver.TIMEOUT).until(() -> client.resources(ScalingSweep.class).inNamespace(namespace).withName("gathered").get() == null);
    assertThat(store.list(namespace + "/gathered/")).as("deleteOnSweepDeletion removes the sweep's prefix").isEmpty();
  }

  @Test
  void deletingASweepKeepsItsObjectsByDefaultAndAnIdleSweepDoesNotRewriteItsCatalog() throws Exception {
    runSweep("kept", false);
    ScalingSweep done = cluster.awaitSweep("kept", s -> Conditions.isTrue(s.getStatus().getConditions(), SweepConditions.READY)
        && Conditions.isTrue(s.getStatus().getConditions(), SweepGathering.CATALOG_WRITTEN));
    await().atMost(SweepDriver.TIMEOUT).until(() -> catalog("kept"),
        c -> c != null && c.trials().stream().allMatch(e -> e.phase() == TrialPhase.Succeeded));
    byte[] written = store.get(namespace + "/kept/catalog.json");

    // a spec change the catalog does not show (every trial is done) makes the operator reconcile
    Thread.sleep(1_100); // a rewrite would then carry a later 'updated' second
    ScalingSweep edited = client.resources(ScalingSweep.class).inNamespace(namespace).withName("kept")
        .edit(s -> { s.getSpec().setSuspend(true); return s; });
    cluster.awaitSweep("kept", s -> edited.getMetadata().getGeneration().equals(s.getStatus().getObservedGeneration()));
    assertThat(store.get(namespace + "/kept/catalog.json")).as("catalog not rewritten, not even its timestamp").isEqualTo(written);

    client.resource(done).delete();
    await().atMost(SweepDriver.TIMEOUT).until(() -> client.resources(ScalingSweep.class).inNamespace(namespace).withName("kept").get() == null);
    assertThat(store.exists(namespace + "/kept/catalog.json")).isTrue();
    assertThat(store.list(namespace + "/kept/")).hasSizeGreaterThan(1);
  }

  @Test
  void aMissingSecretBecomesAStorageErrorConditionNamingTheUriNotACrash() throws Exception {
    ScalingSweep spec = Fixtures.sweep("nosecret", List.of(2), List.of(1024));
    spec.getMetadata().setNamespace(namespace);
    spec.getMetadata().setUid(null);
    spec.getMetadata().setGeneration(null);
    spec.getSpec().getStorage().setUri(ROOT);
    spec.getSpec().getStorage().setEndpoint(s3.endpoint());
    spec.getSpec().getStorage().setSecretRef("absent");
    client.resource(spec).create();

    ScalingSweep failing = cluster.awaitSweep("nosecret", s ->
        Conditions.find(s.getStatus().getConditions(), SweepGathering.CATALOG_WRITTEN) != null);
    var condition = Conditions.find(failing.getStatus().getConditions(), SweepGathering.CATALOG_WRITTEN);
    assertThat(condition.getStatus()).isEqualTo("False");
    assertThat(condition.getReason()).isEqualTo(SweepGathering.REASON_STORAGE_ERROR);
    assertThat(condition.getMessage()).contains(ROOT + namespace + "/nosecret/catalog.json").contains("absent").doesNotContain(s3.credential());
    assertThat(failing.getStatus().getCatalogUri()).isNull();
    assertThat(store.exists(namespace + "/nosecret/catalog.json")).isFalse();
  }

  @Test
  void twoNamespacesApplyingTheSameSweepToOneBucketKeepSeparateResultsAndCatalogs() throws Exception {
    String other = server.newNamespace(client, "storage-b");
    createSecret(other);
    operator.close();
    operator = new OperatorUnderTest(client, namespace, other).start();
    try (SweepDriver otherCluster = new SweepDriver(client, other)) {
      ScalingSweep mine = runSweep(namespace, cluster, "shared", true, 0);
      ScalingSweep theirs = runSweep(other, otherCluster, "shared", false, -0.5);

      SweepCatalog mineCatalog = await().atMost(SweepDriver.TIMEOUT).until(() -> catalog(namespace, "shared"),
          c -> c != null && c.trials().stream().allMatch(e -> e.phase() == TrialPhase.Succeeded));
      SweepCatalog theirCatalog = await().atMost(SweepDriver.TIMEOUT).until(() -> catalog(other, "shared"),
          c -> c != null && c.trials().stream().allMatch(e -> e.phase() == TrialPhase.Succeeded));
      assertThat(mineCatalog.trials()).extracting(e -> e.result().getNegLogPerplexity())
          .containsExactly(QUALITY[0], QUALITY[1], QUALITY[2]);
      assertThat(theirCatalog.trials()).extracting(e -> e.result().getNegLogPerplexity())
          .containsExactly(QUALITY[0] - 0.5, QUALITY[1] - 0.5, QUALITY[2] - 0.5);
      assertThat(theirCatalog.trials()).allSatisfy(e -> assertThat(e.resultUri()).startsWith(ROOT + other + "/shared/"));
      assertThat(owner(namespace, "shared").uid()).isEqualTo(uid(namespace, "shared"));
      assertThat(owner(other, "shared").uid()).isEqualTo(uid(other, "shared"));

      client.resource(mine).delete();
      await().atMost(SweepDriver.TIMEOUT).until(() ->
          client.resources(ScalingSweep.class).inNamespace(namespace).withName("shared").get() == null);
      assertThat(store.list(namespace + "/shared/")).as("my sweep's objects went with it").isEmpty();
      assertThat(store.list(other + "/shared/")).as("the other team's stay").isNotEmpty();
      assertThat(catalog(other, "shared").trials()).hasSize(3);
      assertThat(theirs.getMetadata().getName()).isEqualTo("shared");
    }
  }

  @Test
  void aSweepCreatedAgainUnderTheSameNameNeitherAdoptsNorDeletesTheFirstOnesObjects() throws Exception {
    ScalingSweep first = runSweep("again", false);
    cluster.awaitSweep("again", s -> Conditions.isTrue(s.getStatus().getConditions(), SweepConditions.READY)
        && Conditions.isTrue(s.getStatus().getConditions(), SweepGathering.CATALOG_WRITTEN));
    await().atMost(SweepDriver.TIMEOUT).until(() -> catalog("again"),
        c -> c != null && c.trials().stream().allMatch(e -> e.phase() == TrialPhase.Succeeded));
    String firstUid = uid(namespace, "again");
    client.resource(first).delete();
    await().atMost(SweepDriver.TIMEOUT).until(() ->
        client.resources(ScalingSweep.class).inNamespace(namespace).withName("again").get() == null);
    // what the garbage collector of a real cluster does with the first sweep's TrainingJobs
    client.resources(TrainingJob.class).inNamespace(namespace).withLabel(Labels.SWEEP, "again").delete();
    await().atMost(SweepDriver.TIMEOUT).until(() ->
        client.resources(TrainingJob.class).inNamespace(namespace).withLabel(Labels.SWEEP, "again").list().getItems().isEmpty());
    List<String> objects = store.list(namespace + "/again/");
    byte[] catalog = store.get(namespace + "/again/catalog.json");

    ScalingSweep spec = Fixtures.sweep("again", List.of(2), List.of(1024));
    spec.getMetadata().setNamespace(namespace);
    spec.getMetadata().setUid(null);
    spec.getMetadata().setGeneration(null);
    spec.getSpec().setStorage(first.getSpec().getStorage());
    spec.getSpec().getStorage().setDeleteOnSweepDeletion(true);
    ScalingSweep second = client.resource(spec).create();

    ScalingSweep refused = cluster.awaitSweep("again", s ->
        Conditions.find(s.getStatus().getConditions(), SweepGathering.STORAGE_OWNED) != null);
    var owned = Conditions.find(refused.getStatus().getConditions(), SweepGathering.STORAGE_OWNED);
    assertThat(owned.getStatus()).isEqualTo("False");
    assertThat(owned.getReason()).isEqualTo(SweepGathering.REASON_OWNED_BY_ANOTHER);
    assertThat(owned.getMessage())
        .contains(ROOT + namespace + "/again/", "uid " + firstUid, "launches no trial", "spec.storage.uri");
    Thread.sleep(2_000); // a launch would have happened by now
    assertThat(client.resources(TrainingJob.class).inNamespace(namespace).withLabel(Labels.SWEEP, "again").list().getItems())
        .as("no trial launched into another sweep's folder").isEmpty();

    client.resource(second).delete();
    await().atMost(SweepDriver.TIMEOUT).until(() ->
        client.resources(ScalingSweep.class).inNamespace(namespace).withName("again").get() == null);
    assertThat(store.list(namespace + "/again/")).as("deleteOnSweepDeletion deleted nothing of the first sweep's")
        .containsExactlyElementsOf(objects);
    assertThat(store.get(namespace + "/again/catalog.json")).isEqualTo(catalog);
    assertThat(owner(namespace, "again").uid()).isEqualTo(firstUid);
  }

  @Test
  void aRunningTrialShowsTheProgressItsTrainerReportsAndItsLastStepWhenItEnds() throws Exception {
    ScalingSweep spec = storedSweep(namespace, "live", false);
    for (Trial trial : trialsOf(spec)) {
      putProgress(namespace + "/live/" + trial.name() + "/", 7, 3.5);
    }
    client.resource(spec).create();

    var running = cluster.nextRunningTrial();
    String trial = running.getKey();
    TrainingJob shown = cluster.awaitTrial(trial, t -> t.getStatus() != null && t.getStatus().getProgress() != null);
    assertThat(shown.getStatus().getPhase()).isEqualTo(TrialPhase.Running);
    assertThat(shown.getStatus().getProgress().getStage()).isEqualTo("pretrain");
    assertThat(shown.getStatus().getProgress().getStep()).isEqualTo(7);
    assertThat(shown.getStatus().getProgress().getTotalSteps()).isEqualTo(100);
    assertThat(shown.getStatus().getProgress().getLoss()).isEqualTo(3.5);
    assertThat(shown.getStatus().getProgress().getEtaSeconds()).isEqualTo(93);

    // The trainer's last report lands before its pod ends; the operator reads it once more then.
    putProgress(namespace + "/live/" + trial + "/", 100, 2.25);
    cluster.jobs().succeed(running.getValue(), PodStates.result(1_000_000L, -3.0, null, 10_000.0));
    TrainingJob done = cluster.awaitTrial(trial, t -> t.getStatus().getPhase() == TrialPhase.Succeeded);
    assertThat(done.getStatus().getProgress().getStep()).isEqualTo(100);
    assertThat(done.getStatus().getProgress().getLoss()).isEqualTo(2.25);
  }

  @Test
  void aTrialWhosePodWentBeforeItsResultWasReadTakesTheResultItsTrainerStored() throws Exception {
    String trial = podGoneWhileTheOperatorWasDown("lost", PodStates.result(2_000_000L, -2.75, null, 9_000.0));
    operator = new OperatorUnderTest(client, namespace).start();

    TrainingJob done = cluster.awaitTrial(trial, t -> t.getStatus() != null && t.getStatus().getPhase() == TrialPhase.Succeeded);
    assertThat(done.getStatus().getResult().getParams()).isEqualTo(2_000_000L);
    assertThat(done.getStatus().getResult().getNegLogPerplexity()).isEqualTo(-2.75);
    var ready = Conditions.find(done.getStatus().getConditions(), "Ready");
    assertThat(ready.getReason()).isEqualTo("Succeeded");
    assertThat(ready.getMessage()).contains("read from " + ROOT + namespace + "/lost/" + trial + "/result.json");
  }

  @Test
  void aStorageOutageWhenTheResultMustComeFromStorageDelaysTheTrialInsteadOfLosingItsResult() throws Exception {
    String trial = podGoneWhileTheOperatorWasDown("outage", PodStates.result(3_000_000L, -2.5, null, 8_000.0));
    // ... and storage is down when the operator is back
    s3.stop();
    operator = new OperatorUnderTest(client, namespace).start();

    TrainingJob waiting = cluster.awaitTrial(trial, t -> t.getStatus() != null
        && "ResultUnreadable".equals(Conditions.find(t.getStatus().getConditions(), "Ready").getReason()));
    assertThat(waiting.getStatus().getPhase()).isEqualTo(TrialPhase.Running);
    assertThat(waiting.getStatus().getResult()).isNull();
    assertThat(Conditions.find(waiting.getStatus().getConditions(), "Running").getMessage())
        .contains(ROOT + namespace + "/outage/" + trial + "/result.json", "reading it again");

    s3.start();
    TrainingJob done = cluster.awaitTrial(trial, t -> t.getStatus().getPhase() == TrialPhase.Succeeded);
    assertThat(done.getStatus().getResult().getParams()).isEqualTo(3_000_000L);
    assertThat(Conditions.find(done.getStatus().getConditions(), "Ready").getReason()).isEqualTo("Succeeded");
  }

  /**
   * Runs a sweep's first trial until its trainer stored {@code stored}; then its pod ends and is
   * removed while the operator is down, as when its node is lost and the pod garbage collector
   * deletes it during an operator restart. The operator stays stopped; returns the trial's name.
   */
  private String podGoneWhileTheOperatorWasDown(String sweep, TrialResult stored) throws Exception {
    client.resource(storedSweep(namespace, sweep, false)).create();
    var running = cluster.nextRunningTrial();
    String trial = running.getKey();
    store.put(namespace + "/" + sweep + "/" + trial + "/" + StorageLayout.RESULT_FILE,
        Json.write(stored).getBytes(StandardCharsets.UTF_8));
    operator.close();
    // the pod's own result differs, so a test sees which one the operator took
    cluster.jobs().succeed(running.getValue(), PodStates.result(1L, -9.0, null, 1.0));
    client.resource(running.getValue()).withGracePeriod(0).delete();
    await().until(() -> client.resource(running.getValue()).get() == null);
    return trial;
  }

  private void putProgress(String trialKey, long step, double loss) throws Exception {
    String json = String.format(java.util.Locale.ROOT,
        "{\"stage\":\"pretrain\",\"step\":%d,\"totalSteps\":100,\"loss\":%s,\"tokensPerSecond\":5000.0,"
            + "\"etaSeconds\":%d,\"updated\":\"2026-11-29T12:00:00Z\"}", step, loss, 100 - step);
    store.put(trialKey + StorageLayout.PROGRESS_FILE, json.getBytes(StandardCharsets.UTF_8));
  }

  private void createSecret(String ns) {
    client.resource(new SecretBuilder()
        .withNewMetadata().withName(SECRET).withNamespace(ns).endMetadata()
        .addToStringData("AWS_ACCESS_KEY_ID", S3ProxyServer.IDENTITY)
        .addToStringData("AWS_SECRET_ACCESS_KEY", s3.credential())
        .build()).create();
  }

  private StorageOwner owner(String ns, String sweep) throws Exception {
    return StorageOwner.fromJson(store.get(ns + "/" + sweep + "/" + StorageLayout.OWNER_FILE));
  }

  private String uid(String ns, String sweep) {
    return client.resources(ScalingSweep.class).inNamespace(ns).withName(sweep).get().getMetadata().getUid();
  }

  /** Uploads two checkpoints per trial as the trainer would, then lets every trial succeed. */
  private ScalingSweep runSweep(String name, boolean deleteWithSweep) throws Exception {
    return runSweep(namespace, cluster, name, deleteWithSweep, 0);
  }

  private ScalingSweep runSweep(String ns, SweepDriver driver, String name, boolean deleteWithSweep, double offset)
      throws Exception {
    ScalingSweep spec = storedSweep(ns, name, deleteWithSweep);

    List<Trial> trials = trialsOf(spec);
    Map<String, TrialResult> planted = new HashMap<>();
    for (int i = 0; i < trials.size(); i++) {
      String trial = ns + "/" + name + "/" + trials.get(i).name() + "/checkpoints/";
      for (int step : new int[] {10, 20}) {
        store.put(trial + "step-" + step + "/model.params", ("weights " + step).getBytes(StandardCharsets.UTF_8));
        store.put(trial + "step-" + step + "/manifest.json", "{}".getBytes(StandardCharsets.UTF_8));
      }
      planted.put(trials.get(i).name(), PodStates.result(1_000_000L * (i + 1), QUALITY[i] + offset, null, 10_000.0 - 1000 * i));
    }
    ScalingSweep created = client.resource(spec).create();
    for (int i = 0; i < trials.size(); i++) {
      driver.succeedNext(tj -> planted.get(tj.getMetadata().getName()));
    }
    return created;
  }

  /** A sweep of three trials storing into the S3 server with the namespace's Secret. */
  private ScalingSweep storedSweep(String ns, String name, boolean deleteWithSweep) {
    ScalingSweep spec = Fixtures.sweep(name, List.of(2), List.of(1024));
    spec.getMetadata().setNamespace(ns);
    spec.getMetadata().setUid(null);
    spec.getMetadata().setGeneration(null);
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

  private static List<Trial> trialsOf(ScalingSweep sweep) {
    return io.scalesweep.operator.testing.SweepStates.trials(sweep);
  }

  private SweepCatalog catalog(String sweep) throws Exception {
    return catalog(namespace, sweep);
  }

  private SweepCatalog catalog(String ns, String sweep) throws Exception {
    try {
      return SweepCatalog.fromJson(store.get(ns + "/" + sweep + "/catalog.json"));
    } catch (ObjectNotFoundException e) {
      return null;
    }
  }
}
