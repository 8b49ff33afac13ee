package io.scalesweep.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.storage.ObjectStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A sweep whose objects go with it, deleted while a real trainer pod trains: the operator stops
 * the trial, the cluster's garbage collector and kubelet end the pod, and only then are the
 * sweep's objects deleted and the sweep released. The order is read from the cluster itself: while
 * the sweep still exists its folder must still be in the bucket, and once it is gone no trainer
 * pod may be left to write into that folder.
 */
@ExtendWith({LocalClusterExtension.class, DiagnosticsOnFailure.class})
class SweepDeletionE2E {

  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private final E2ECluster cluster;
  private final KubernetesClient client;
  private final TestNamespace ns;

  SweepDeletionE2E(E2ECluster cluster, KubernetesClient client, Namespaces namespaces) {
    this.cluster = cluster;
    this.client = client;
    this.ns = namespaces.create("e2e-delete");
  }

  @Test
  void deletingARunningSweepStopsItsTrainerPodsThenDeletesItsObjects() throws Exception {
    ScalingSweep sweep = Examples.sweep("local-cluster.yaml", cluster, s -> {
      s.getMetadata().setName("deleted");
      s.getSpec().setFinetune(null);
      s.getSpec().setParallelism(1);
      s.getSpec().getStorage().setDeleteOnSweepDeletion(true);
    });
    new Kubectl(cluster).apply(ns.name(), Examples.yaml(sweep));
    String folder = StorageLayout.sweepKey(ns.name(), "deleted");

    // A trainer pod that runs, seen on the pod itself: a short trial can pass through its
    // TrainingJob's Running phase between two polls of the status.
    long started = System.nanoTime();
    while (trainerPods().stream().noneMatch(p -> "Running".equals(p.getStatus().getPhase()))) {
      assertThat(System.nanoTime() - started).as("a trainer pod running within %s", TIMEOUT).isLessThan(TIMEOUT.toNanos());
      Thread.sleep(500);
    }
    try (ObjectStore bucket = cluster.store(sweep.getSpec().getStorage().getUri())) {
      assertThat(bucket.exists(folder + StorageLayout.OWNER_FILE)).isTrue();
      assertThat(trainerPods()).as("a trainer pod runs").isNotEmpty();

      client.resources(ScalingSweep.class).inNamespace(ns.name()).withName("deleted").delete();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      boolean podsEndedFirst = false;
      while (client.resources(ScalingSweep.class).inNamespace(ns.name()).withName("deleted").get() != null) {
        assertThat(System.nanoTime()).as("sweep deleted within %s", TIMEOUT).isLessThan(deadline);
        if (!trainerPods().isEmpty()) {
          assertThat(bucket.exists(folder + StorageLayout.OWNER_FILE)).as("objects kept while a trainer runs").isTrue();
        } else {
          podsEndedFirst = true;
        }
        Thread.sleep(500);
      }
      System.out.printf("[e2e] sweep deleted; trainer pods ended before it: %s%n", podsEndedFirst);
      assertThat(trainerPods()).as("no trainer left to write after the cleanup").isEmpty();
      assertThat(bucket.list(folder)).as("the sweep's folder is deleted").isEmpty();
    }
    List<TrainingJob> left = client.resources(TrainingJob.class).inNamespace(ns.name()).list().getItems();
    assertThat(left).allSatisfy(t -> assertThat(t.getStatus().getPhase().isFinished()).isTrue());
  }

  /** Trainer pods that have not ended (terminating ones included). */
  private List<Pod> trainerPods() {
    return client.pods().inNamespace(ns.name()).withLabel("app.kubernetes.io/component", "trainer").list().getItems().stream()
        .filter(p -> !"Succeeded".equals(p.getStatus().getPhase()) && !"Failed".equals(p.getStatus().getPhase()))
        .toList();
  }
}
