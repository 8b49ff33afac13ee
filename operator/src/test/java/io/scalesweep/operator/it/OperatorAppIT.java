package io.scalesweep.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.operator.common.Conditions;
import io.scalesweep.operator.common.Labels;
import io.scalesweep.operator.sweep.SweepConditions;
import io.scalesweep.operator.sweep.SweepDeletionReconciler;
import io.scalesweep.operator.testing.Fixtures;
import io.scalesweep.operator.testing.PodStates;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator as it ships: the Quarkus application (QOSDK registering both reconcilers, CDI
 * giving the Job dependent its settings, no Dev Services) against a real API server, as the chart's
 * ServiceAccount with the chart's RBAC, with its Prometheus endpoint scraped after a small sweep ran.
 */
@QuarkusTest
@WithTestResource(KubeApiServerResource.class)
class OperatorAppIT {

  private static final String NEWER_FIELD = "fromANewerVersion";

  @TestHTTPResource("/q/metrics")
  URI metrics;

  @ConfigProperty(name = "scalesweep.trainer.image")
  String trainerImage;

  private KubernetesClient client;
  private String namespace;
  private SweepDriver cluster;

  @BeforeEach
  void start() {
    client = TestApiServer.shared().newClient();
    namespace = KubeApiServerResource.NAMESPACE;
    cluster = new SweepDriver(client, namespace);
  }

  @AfterEach
  void stop() {
    cluster.close();
    client.close();
    String username = System.getProperty(KubeApiServerResource.USERNAME_PROPERTY);
    if (username != null) {
      assertThat(TestApiServer.shared().auditLog().refused(username))
          .as("requests of %s the API server refused (the chart's RBAC lacks them)", username)
          .isEmpty();
    }
  }

  @Test
  void runsASweepAndExposesItsMetrics() throws Exception {
    client.resource(sweep("app")).create();

    // the first trial runs for a couple of seconds, so GPU time is counted
    var first = cluster.nextRunningTrial();
    Thread.sleep(2_100);
    cluster.jobs().succeed(first.getValue(), PodStates.result(10_000_000L, -2.5, null, 900.0));
    for (int i = 0; i < 2; i++) {
      cluster.succeedNext(tj -> PodStates.result(20_000_000L, -2.0, null, 800.0));
    }
    cluster.awaitSweep("app", s -> Conditions.isTrue(s.getStatus().getConditions(), SweepConditions.READY));

    Job job = client.batch().v1().jobs().inNamespace(namespace).list().getItems().get(0);
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(trainerImage);
    await().atMost(SweepDriver.TIMEOUT).untilAsserted(() -> {
      String scrape = scrape();
      assertThat(scrape).containsPattern("scalesweep_trials\\{[^}]*phase=\"Succeeded\"[^}]*sweep=\"app\"[^}]*} 3.0");
      assertThat(scrape).containsPattern("scalesweep_sweep_best_quality\\{[^}]*sweep=\"app\"[^}]*} -2.0");
      assertThat(scrape).containsPattern("scalesweep_gpu_seconds_total\\{[^}]*sweep=\"app\"[^}]*} [1-9]");
      assertThat(scrape).contains("operator_sdk_reconciliations_success_total").contains("scalingsweep").contains("trainingjob");
      // per controller, not per trial: thousands of trials must not become thousands of series
      assertThat(scrape.lines().filter(l -> l.startsWith("operator_sdk_"))).noneMatch(l -> l.contains("name=\"app"));
    });
    // Finished trials leave the trial controller's cache: QOSDK must carry its informer's label
    // selector into the requests it makes, and the trials must be labelled.
    await().atMost(SweepDriver.TIMEOUT).until(() -> client.resources(TrainingJob.class).inNamespace(namespace)
        .withLabel(Labels.FINISHED, Labels.FINISHED_VALUE).list().getItems().size() == 3);
    String username = System.getProperty(KubeApiServerResource.USERNAME_PROPERTY);
    if (username != null) {
      String unfinished = "labelSelector=" + URLEncoder.encode(Labels.UNFINISHED_SELECTOR, StandardCharsets.UTF_8);
      assertThat(TestApiServer.shared().auditLog().requests(username))
          .filteredOn(r -> r.resource().equals("trainingjobs") && r.verb().equals("watch"))
          .extracting(r -> r.uri().contains(unfinished))
          .as("the operator's TrainingJob watches: one selects unfinished trials (the trial controller), one all (the sweeps')")
          .contains(true, false);
    }
  }

  /**
   * Both sweep controllers as QOSDK wires them: only a sweep whose objects go with it carries the
   * finalizer, and deleting it ends (its storage names a Secret that does not exist, so the
   * admission policy refuses it and the cleanup deletes nothing).
   */
  @Test
  void putsAFinalizerOnlyOnSweepsWhoseObjectsGoWithThem() {
    client.resource(namedSweep("keeps", false)).create();
    client.resource(namedSweep("cleans", true)).create();

    await().atMost(SweepDriver.TIMEOUT).until(() -> finalizers("cleans").contains(SweepDeletionReconciler.FINALIZER));
    cluster.awaitSweep("keeps", s -> s.getStatus() != null && s.getStatus().getObservedGeneration() != null);
    assertThat(finalizers("keeps")).isEmpty();

    client.resources(ScalingSweep.class).inNamespace(namespace).withName("cleans").delete();
    client.resources(ScalingSweep.class).inNamespace(namespace).withName("keeps").delete();
    await().atMost(SweepDriver.TIMEOUT).until(() -> client.resources(ScalingSweep.class).inNamespace(namespace).list().getItems().isEmpty());
  }

  /**
   * Helm never downgrades CRDs, so an operator rolled back after an upgrade reads trials that
   * carry the newer version's fields. Each such object failed to deserialise, the informer's
   * list with it, and no trial of any sweep was reconciled again.
   */
  @Test
  void keepsReconcilingTrialsThatCarryFieldsOfANewerVersion() throws Exception {
    String crd = HasMetadata.getFullResourceName(TrainingJob.class);
    addStatusField(crd, NEWER_FIELD);
    try {
      client.resource(sweep("skew")).create();
      var first = cluster.nextRunningTrial();
      // What a newer operator wrote into the status: a field this one has never heard of.
      client.resources(TrainingJob.class).inNamespace(namespace).withName(first.getKey()).subresource("status")
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\": {\"" + NEWER_FIELD + "\": \"written by a newer version\"}}");
      assertThat(client.genericKubernetesResources(HasMetadata.getApiVersion(TrainingJob.class), "TrainingJob")
          .inNamespace(namespace).withName(first.getKey()).get().get("status", NEWER_FIELD).toString())
          .isEqualTo("written by a newer version");

      cluster.jobs().succeed(first.getValue(), PodStates.result(10_000_000L, -2.5, null, 900.0));
      for (int i = 0; i < 2; i++) {
        cluster.succeedNext(tj -> PodStates.result(20_000_000L, -2.0, null, 800.0));
      }
      cluster.awaitSweep("skew", s -> Conditions.isTrue(s.getStatus().getConditions(), SweepConditions.READY));
      assertThat(cluster.awaitTrial(first.getKey(), t -> t.getStatus().getPhase() == TrialPhase.Succeeded)
          .getStatus().getResult().getParams()).isEqualTo(10_000_000L);
    } finally {
      removeStatusField(crd, NEWER_FIELD);
    }
  }

  private void addStatusField(String crd, String field) {
    client.apiextensions().v1().customResourceDefinitions().withName(crd).edit(c -> {
      c.getSpec().getVersions().forEach(v -> v.getSchema().getOpenAPIV3Schema().getProperties().get("status")
          .getProperties().put(field, new JSONSchemaPropsBuilder().withType("string").build()));
      return c;
    });
  }

  private void removeStatusField(String crd, String field) {
    client.apiextensions().v1().customResourceDefinitions().withName(crd).edit(c -> {
      c.getSpec().getVersions().forEach(v -> v.getSchema().getOpenAPIV3Schema().getProperties().get("status")
          .getProperties().remove(field));
      return c;
    });
  }

  /** Three trials: the base and NL 8 and FF 4096 variants. */
  private ScalingSweep sweep(String name) {
    ScalingSweep sweep = Fixtures.sweep(name, List.of(8), List.of(4096));
    sweep.getMetadata().setNamespace(namespace);
    sweep.getMetadata().setUid(null);
    sweep.getMetadata().setGeneration(null);
    return sweep;
  }

  private ScalingSweep namedSweep(String name, boolean deleteWithSweep) {
    ScalingSweep sweep = sweep(name);
    sweep.getSpec().getStorage().setSecretRef("absent");
    sweep.getSpec().getStorage().setDeleteOnSweepDeletion(deleteWithSweep);
    return sweep;
  }

  private List<String> finalizers(String sweep) {
    return client.resources(ScalingSweep.class).inNamespace(namespace).withName(sweep).get().getMetadata().getFinalizers();
  }

  @Test
  void servesTheHealthEndpointsTheChartsProbesCall() throws Exception {
    // charts/scalesweep/templates/deployment.yaml: startupProbe, livenessProbe, readinessProbe
    for (String probe : List.of("/q/health/started", "/q/health/live", "/q/health/ready")) {
      HttpResponse<String> response = HttpClient.newHttpClient()
          .send(HttpRequest.newBuilder(metrics.resolve(probe)).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("%s: %s", probe, response.body()).isEqualTo(200);
    }
  }

  private String scrape() throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(metrics).GET().build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
