package io.scalesweep.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalesweep.api.catalog.CatalogEntry;
import io.scalesweep.api.catalog.SweepCatalog;
import io.scalesweep.api.shape.Trial;
import io.scalesweep.api.v1alpha1.KeepCheckpoints;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.StorageSpec;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.api.v1alpha1.TrialResult;
import io.scalesweep.operator.common.Conditions;
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
    client.resource(new SecretBuilder()
        .withNewMetadata().withName(SECRET).withNamespace(namespace).endMetadata()
        .addToStringData("AWS_ACCESS_KEY_ID", S3ProxyServer.IDENTITY)
        .addToStringData("AWS_SECRET_ACCESS_KEY", s3.credential())
        .build()).create();
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
    assertThat(done.getStatus().getCatalogUri()).isEqualTo(ROOT + "gathered/catalog.json");

    SweepCatalog catalog = await().atMost(SweepDriver.TIMEOUT).until(() -> catalog("gathered"),
        c -> c != null && c.trials().stream().allMatch(e -> e.phase() == TrialPhase.Succeeded && e.checkpointUri() != null));
    assertThat(catalog.trials()).extracting(CatalogEntry::name).containsExactlyElementsOf(trials.stream().map(Trial::name).toList());
    for (int i = 0; i < trials.size(); i++) {
      CatalogEntry e = catalog.trials().get(i);
      String trialUri = ROOT + "gathered/" + trials.get(i).name() + "/";
      assertThat(e.result().getNegLogPerplexity()).isEqualTo(QUALITY[i]);
      assertThat(e.resultUri()).isEqualTo(trialUri + "result.json");
      assertThat(e.checkpointUri()).isEqualTo(trialUri + "checkpoints/step-20/");
      boolean dominated = i == 1;
      assertThat(e.pareto().isEmpty()).as("trial %d is off every frontier", i).isEqualTo(dominated);
      assertThat(store.list("gathered/" + trials.get(i).name() + "/checkpoints/"))
          .as("final pruning keeps step-20 only")
          .containsExactly(
              "gathered/" + trials.get(i).name() + "/checkpoints/step-20/manifest.json",
              "gathered/" + trials.get(i).name() + "/checkpoints/step-20/model.params");
    }
    assertThat(catalog.pareto()).isNotEmpty();

    client.resource(done).delete();
    await().atMost(SweepDriver.TIMEOUT).until(() -> client.resources(ScalingSweep.class).inNamespace(namespace).withName("gathered").get() == null);
    assertThat(store.list("gathered/")).as("deleteOnSweepDeletion removes the sweep's prefix").isEmpty();
  }

  @Test
  void deletingASweepKeepsItsObjectsByDefaultAndAnIdleSweepDoesNotRewriteItsCatalog() throws Exception {
    runSweep("kept", false);
    ScalingSweep done = cluster.awaitSweep("kept", s -> Conditions.isTrue(s.getStatus().getConditions(), SweepConditions.READY)
        && Conditions.isTrue(s.getStatus().getConditions(), SweepGathering.CATALOG_WRITTEN));
    await().atMost(SweepDriver.TIMEOUT).until(() -> catalog("kept"),
        c -> c != null && c.trials().stream().allMatch(e -> e.phase() == TrialPhase.Succeeded));
    byte[] written = store.get("kept/catalog.json");

    // a spec change the catalog does not show (every trial is done) makes the operator reconcile
    Thread.sleep(1_100); // a rewrite would then carry a later 'updated' second
    ScalingSweep edited = client.resources(ScalingSweep.class).inNamespace(namespace).withName("kept")
        .edit(s -> { s.getSpec().setSuspend(true); return s; });
    cluster.awaitSweep("kept", s -> edited.getMetadata().getGeneration().equals(s.getStatus().getObservedGeneration()));
    assertThat(store.get("kept/catalog.json")).as("catalog not rewritten, not even its timestamp").isEqualTo(written);

    client.resource(done).delete();
    await().atMost(SweepDriver.TIMEOUT).until(() -> client.resources(ScalingSweep.class).inNamespace(namespace).withName("kept").get() == null);
    assertThat(store.exists("kept/catalog.json")).isTrue();
    assertThat(store.list("kept/")).hasSizeGreaterThan(1);
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
    assertThat(condition.getMessage()).contains(ROOT + "nosecret/catalog.json").contains("absent").doesNotContain(s3.credential());
    assertThat(failing.getStatus().getCatalogUri()).isNull();
    assertThat(store.exists("nosecret/catalog.json")).isFalse();
  }

  /** Uploads two checkpoints per trial as the trainer would, then lets every trial succeed. */
  private ScalingSweep runSweep(String name, boolean deleteWithSweep) throws Exception {
    ScalingSweep spec = Fixtures.sweep(name, List.of(2), List.of(1024));
    spec.getMetadata().setNamespace(namespace);
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

    List<Trial> trials = trialsOf(spec);
    Map<String, TrialResult> planted = new HashMap<>();
    for (int i = 0; i < trials.size(); i++) {
      String trial = name + "/" + trials.get(i).name() + "/checkpoints/";
      for (int step : new int[] {10, 20}) {
        store.put(trial + "step-" + step + "/model.params", ("weights " + step).getBytes(StandardCharsets.UTF_8));
        store.put(trial + "step-" + step + "/manifest.json", "{}".getBytes(StandardCharsets.UTF_8));
      }
      planted.put(trials.get(i).name(), PodStates.result(1_000_000L * (i + 1), QUALITY[i], null, 10_000.0 - 1000 * i));
    }
    ScalingSweep created = client.resource(spec).create();
    for (int i = 0; i < trials.size(); i++) {
      cluster.succeedNext(tj -> planted.get(tj.getMetadata().getName()));
    }
    return created;
  }

  private static List<Trial> trialsOf(ScalingSweep sweep) {
    return io.scalesweep.operator.testing.SweepStates.trials(sweep);
  }

  private SweepCatalog catalog(String sweep) throws Exception {
    try {
      return SweepCatalog.fromJson(store.get(sweep + "/catalog.json"));
    } catch (ObjectNotFoundException e) {
      return null;
    }
  }
}
