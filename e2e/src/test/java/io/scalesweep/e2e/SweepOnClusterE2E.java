package io.scalesweep.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalesweep.api.catalog.SweepCatalog;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.contract.StorageOwner;
import io.scalesweep.api.v1alpha1.ParetoSet;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.storage.ObjectStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's local-cluster walk-through as a test: {@code examples/local-cluster.yaml} applied
 * with kubectl by two teams, in two namespaces, under the same sweep name and into the same bucket.
 * Real pods pretrain and fine-tune every trial; each team gets its own results, catalog and pruned
 * checkpoints, and neither sees the other's.
 */
@ExtendWith({LocalClusterExtension.class, DiagnosticsOnFailure.class})
class SweepOnClusterE2E {

  private static final String EXAMPLE = "local-cluster.yaml";
  private static final Duration TIMEOUT = Duration.ofMinutes(20);

  private final E2ECluster cluster;
  private final KubernetesClient client;
  private final TestNamespace teamA;
  private final TestNamespace teamB;

  SweepOnClusterE2E(E2ECluster cluster, KubernetesClient client, Namespaces namespaces) {
    this.cluster = cluster;
    this.client = client;
    this.teamA = namespaces.create("e2e-team-a");
    this.teamB = namespaces.create("e2e-team-b");
  }

  @Test
  void theExampleRunsToSucceededForTwoTeamsSharingABucket() throws Exception {
    Kubectl kubectl = new Kubectl(cluster);
    ScalingSweep example = Examples.sweep(EXAMPLE, cluster, s -> {});
    String name = example.getMetadata().getName();
    long applied = System.nanoTime();
    for (TestNamespace ns : List.of(teamA, teamB)) {
      assertThat(kubectl.apply(ns.name(), Examples.yaml(example))).contains("created");
    }

    SweepWatch watch = new SweepWatch(client);
    ScalingSweep a = watch.untilSucceeded(teamA.name(), name, TIMEOUT);
    ScalingSweep b = watch.untilSucceeded(teamB.name(), name, TIMEOUT);
    System.out.printf("[e2e] both sweeps Ready %.0f s after kubectl apply%n", (System.nanoTime() - applied) / 1e9);

    for (ScalingSweep sweep : List.of(a, b)) {
      assertRanAsRealPods(sweep);
      assertPareto(sweep);
    }
    // What a user sees: the printer columns of the CRD, filled in by the status.
    Table table = Table.parse(kubectl.run("get", "scalingsweeps", "-n", teamA.name()));
    assertThat(table.columns()).contains("NAME", "TRIALS", "RUNNING", "SUCCEEDED", "FAILED", "BEST", "READY", "AGE");
    assertThat(table.row(name)).containsEntry("TRIALS", "3").containsEntry("SUCCEEDED", "3")
        .containsEntry("FAILED", "0").containsEntry("READY", "True")
        .containsEntry("BEST", a.getStatus().getBest().getCode());

    try (ObjectStore bucket = cluster.store(example.getSpec().getStorage().getUri())) {
      assertStoredResults(bucket, a);
      assertStoredResults(bucket, b);
    }
  }

  /** TrainingJobs, Jobs and pods exist, one of each per trial, and every trial Succeeded. */
  private void assertRanAsRealPods(ScalingSweep sweep) {
    String ns = sweep.getMetadata().getNamespace();
    List<TrainingJob> trials = client.resources(TrainingJob.class).inNamespace(ns).list().getItems();
    assertThat(trials).hasSize(3).allSatisfy(t -> assertThat(t.getStatus().getPhase()).isEqualTo(TrialPhase.Succeeded));
    assertThat(trials.stream().map(t -> t.getSpec().getCode()).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("TI", "NL1-TI", "NL2-TI");
    List<Job> jobs = client.batch().v1().jobs().inNamespace(ns).list().getItems();
    assertThat(jobs).hasSize(3).allSatisfy(j -> assertThat(j.getStatus().getSucceeded()).isEqualTo(1));
    List<Pod> pods = client.pods().inNamespace(ns).list().getItems();
    assertThat(pods).filteredOn(p -> "Succeeded".equals(p.getStatus().getPhase())).hasSize(3)
        // Ran under the namespace's enforced restricted Pod Security level, on the real kubelet.
        .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isNotBlank());
    assertThat(client.namespaces().withName(ns).get().getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
  }

  private static void assertPareto(ScalingSweep sweep) {
    List<ParetoSet> pareto = sweep.getStatus().getPareto();
    assertThat(pareto).isNotEmpty();
    assertThat(pareto).allSatisfy(p -> assertThat(p.getCodes()).isNotEmpty().isSubsetOf("TI", "NL1-TI", "NL2-TI"));
    // Downstream scores came from fine-tuning, so the downstream frontiers exist too.
    assertThat(pareto).anySatisfy(p -> assertThat(p.getQuality()).isEqualTo("downstream"));
  }

  /**
   * The team's folder is marked with its own sweep's UID, and the catalog and every trial's result
   * are in it; checkpoints are pruned.
   */
  private void assertStoredResults(ObjectStore bucket, ScalingSweep sweep) throws Exception {
    String ns = sweep.getMetadata().getNamespace();
    String name = sweep.getMetadata().getName();
    String folder = StorageLayout.sweepKey(ns, name);
    assertThat(StorageOwner.fromJson(bucket.get(folder + StorageLayout.OWNER_FILE)).uid()).isEqualTo(sweep.getMetadata().getUid());
    assertThat(sweep.getStatus().getCatalogUri()).isEqualTo(bucket.uriOf(folder + StorageLayout.CATALOG_FILE));
    SweepCatalog catalog = SweepCatalog.fromJson(bucket.get(folder + StorageLayout.CATALOG_FILE));
    assertThat(catalog.trials()).hasSize(3).allSatisfy(t -> {
      assertThat(t.phase()).isEqualTo(TrialPhase.Succeeded);
      assertThat(t.resultUri()).startsWith(bucket.root() + folder);
    });

    List<String> keys = bucket.list(folder);
    for (TrainingJob trial : client.resources(TrainingJob.class).inNamespace(ns).list().getItems()) {
      String trialFolder = folder + trial.getMetadata().getName() + "/";
      assertThat(keys).contains(trialFolder + StorageLayout.RESULT_FILE);
      // keepCheckpoints: final. Pretraining saved at steps 25, 50, 75 and 100, fine-tuning at 15
      // and 30: only the last of each stage is left (the pretrained and the fine-tuned model).
      Set<String> checkpoints = keys.stream()
          .filter(k -> k.startsWith(trialFolder) && k.contains(StorageLayout.CHECKPOINTS_DIR + "/" + StorageLayout.CHECKPOINT_PREFIX))
          .map(k -> k.substring(trialFolder.length(), k.indexOf('/', k.indexOf(StorageLayout.CHECKPOINT_PREFIX))))
          .collect(Collectors.toCollection(TreeSet::new));
      assertThat(checkpoints).as("checkpoints left of %s", trialFolder)
          .containsExactly("checkpoints/step-100", StorageLayout.FINETUNE_DIR + "/checkpoints/step-30");
    }
  }
}
