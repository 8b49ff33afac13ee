package io.scalesweep.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalesweep.api.catalog.CatalogEntry;
import io.scalesweep.api.catalog.SweepCatalog;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.storage.ObjectStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator's pod deleted in the middle of a sweep, as a node drain or an upgrade does: the
 * Deployment starts a new one, which picks the sweep up from the cluster's state alone. No trial
 * is created twice, none is lost, and the sweep completes with every result.
 */
@ExtendWith({LocalClusterExtension.class, DiagnosticsOnFailure.class})
class OperatorRestartE2E {

  private static final String OPERATOR_SELECTOR = "app.kubernetes.io/name=scalesweep";
  private static final Duration TIMEOUT = Duration.ofMinutes(20);

  private final E2ECluster cluster;
  private final KubernetesClient client;
  private final TestNamespace ns;

  OperatorRestartE2E(E2ECluster cluster, KubernetesClient client, Namespaces namespaces) {
    this.cluster = cluster;
    this.client = client;
    this.ns = namespaces.create("e2e-restart");
  }

  @Test
  void aSweepSurvivesItsOperatorPodBeingDeleted() throws Exception {
    Kubectl kubectl = new Kubectl(cluster);
    // One trial at a time, so that the restart falls between trials still to be created.
    ScalingSweep sweep = Examples.sweep("local-cluster.yaml", cluster, s -> {
      s.getMetadata().setName("restart");
      s.getSpec().setFinetune(null);
      s.getSpec().setParallelism(1);
    });
    kubectl.apply(ns.name(), Examples.yaml(sweep));

    SweepWatch watch = new SweepWatch(client);
    watch.untilTrial(ns.name(), watch.firstTrial(ns.name()), t -> t.getStatus() != null && t.getStatus().getPhase() == TrialPhase.Running,
        "Running", TIMEOUT);
    Map<String, String> before = uids(client.resources(TrainingJob.class).inNamespace(ns.name()).list().getItems());

    List<Pod> operators = client.pods().inNamespace(E2ECluster.OPERATOR_NAMESPACE).withLabel("app.kubernetes.io/name", "scalesweep").list().getItems();
    assertThat(operators).isNotEmpty();
    kubectl.run("delete", "pod", "-n", E2ECluster.OPERATOR_NAMESPACE, "-l", OPERATOR_SELECTOR, "--wait=true");
    System.out.printf("[e2e] deleted operator pod(s) %s with trials %s created%n",
        operators.stream().map(p -> p.getMetadata().getName()).toList(), before.keySet());
    kubectl.run("wait", "--for=condition=Ready", "pod", "-n", E2ECluster.OPERATOR_NAMESPACE, "-l", OPERATOR_SELECTOR,
        "--timeout=180s");

    ScalingSweep done = watch.untilSucceeded(ns.name(), "restart", TIMEOUT);

    List<TrainingJob> trials = client.resources(TrainingJob.class).inNamespace(ns.name()).list().getItems();
    assertThat(trials).hasSize(3).allSatisfy(t -> assertThat(t.getStatus().getPhase()).isEqualTo(TrialPhase.Succeeded));
    // The trials that existed before the restart are the same objects, not re-created copies.
    assertThat(uids(trials)).containsAllEntriesOf(before);
    assertThat(client.batch().v1().jobs().inNamespace(ns.name()).list().getItems()).hasSize(3)
        .allSatisfy(j -> assertThat(j.getStatus().getSucceeded()).isEqualTo(1));
    assertThat(done.getStatus().getTrials().getSucceeded()).isEqualTo(3);
    assertThat(done.getStatus().getResults()).hasSize(3);

    try (ObjectStore bucket = cluster.store(sweep.getSpec().getStorage().getUri())) {
      SweepCatalog catalog = SweepCatalog.fromJson(
          bucket.get(StorageLayout.sweepKey(ns.name(), "restart") + StorageLayout.CATALOG_FILE));
      assertThat(catalog.trials()).extracting(CatalogEntry::code).containsExactlyInAnyOrder("TI", "NL1-TI", "NL2-TI");
      assertThat(catalog.trials()).allSatisfy(t -> assertThat(t.result()).isNotNull());
    }
  }

  private static Map<String, String> uids(List<TrainingJob> trials) {
    return trials.stream().map(HasMetadata::getMetadata)
        .collect(Collectors.toMap(m -> m.getName(), m -> m.getUid(), (a, b) -> a));
  }
}
