package io.scalesweep.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.api.v1alpha1.TrialResult;
import io.scalesweep.storage.ObjectStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A trainer pod deleted mid-training, as a preempted or evicted pod is: the Job controller starts
 * a new pod, which resumes from the newest complete checkpoint in the bucket and ends at exactly the
 * final loss of an uninterrupted trial of the same recipe and seed, trained beside it in the same run.
 */
@ExtendWith({LocalClusterExtension.class, DiagnosticsOnFailure.class})
class TrainerPodDeletionE2E {

  private static final int STEPS = 160;
  private static final int CHECKPOINT_EVERY = 40;
  private static final Duration TIMEOUT = Duration.ofMinutes(15);

  private final E2ECluster cluster;
  private final KubernetesClient client;
  private final TestNamespace ns;

  TrainerPodDeletionE2E(E2ECluster cluster, KubernetesClient client, Namespaces namespaces) {
    this.cluster = cluster;
    this.client = client;
    this.ns = namespaces.create("e2e-resume");
  }

  @Test
  void aDeletedTrainerPodResumesToTheSameFinalLossAsAnUninterruptedTrial() throws Exception {
    Kubectl kubectl = new Kubectl(cluster);
    ScalingSweep reference = oneTrial("reference");
    ScalingSweep victim = oneTrial("victim");
    kubectl.apply(ns.name(), Examples.yaml(reference));
    kubectl.apply(ns.name(), Examples.yaml(victim));

    SweepWatch watch = new SweepWatch(client);
    TrainingJob trial = watch.untilTrial(ns.name(), trialName("victim"), t -> t.getStatus() != null
        && t.getStatus().getPhase() == TrialPhase.Running, "Running", TIMEOUT);
    String trialKey = StorageLayout.sweepKey(ns.name(), "victim") + trial.getMetadata().getName() + "/";
    String firstCheckpoint = trialKey + StorageLayout.CHECKPOINTS_DIR + "/" + StorageLayout.CHECKPOINT_PREFIX
        + CHECKPOINT_EVERY + "/" + StorageLayout.CHECKPOINT_MANIFEST;
    try (ObjectStore bucket = cluster.store(victim.getSpec().getStorage().getUri())) {
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (!bucket.exists(firstCheckpoint)) {
        assertThat(System.nanoTime()).as("waiting for %s", firstCheckpoint).isLessThan(deadline);
        Thread.sleep(500);
      }
    }
    Pod first = trainerPods(trial).get(0);
    kubectl.run("delete", "pod", "-n", ns.name(), first.getMetadata().getName(), "--wait=false");
    System.out.printf("[e2e] deleted %s after its step-%d checkpoint%n", first.getMetadata().getName(), CHECKPOINT_EVERY);

    // Live progress: the untouched trial shows its step and loss while its pod still trains.
    TrainingJob live = watch.untilTrial(ns.name(), trialName("reference"), t -> t.getStatus() != null
        && t.getStatus().getPhase() == TrialPhase.Running && t.getStatus().getProgress() != null
        && t.getStatus().getProgress().getStep() != null && t.getStatus().getProgress().getStep() > 0,
        "showing live progress", TIMEOUT);
    System.out.printf("[e2e] live progress of %s: %s%n", live.getMetadata().getName(), Examples.yaml(live.getStatus().getProgress()).replace('\n', ' '));

    watch.untilSucceeded(ns.name(), "reference", TIMEOUT);
    watch.untilSucceeded(ns.name(), "victim", TIMEOUT);
    Table trials = Table.parse(kubectl.run("get", "trainingjobs", "-n", ns.name()));
    assertThat(trials.row(trialName("reference"))).containsEntry("STEP", Integer.toString(STEPS)).containsKey("LOSS")
        .hasEntrySatisfying("LOSS", loss -> assertThat(loss).matches("\\d+(\\.\\d+)?"));

    TrainingJob resumed = client.resources(TrainingJob.class).inNamespace(ns.name()).withName(trial.getMetadata().getName()).get();
    TrainingJob uninterrupted = client.resources(TrainingJob.class).inNamespace(ns.name()).withName(trialName("reference")).get();
    TrialResult got = resumed.getStatus().getResult();
    TrialResult want = uninterrupted.getStatus().getResult();
    System.out.printf("[e2e] final loss: uninterrupted %s, resumed %s; neg. log-perplexity %s vs %s%n",
        want.getFinalLoss(), got.getFinalLoss(), want.getNegLogPerplexity(), got.getNegLogPerplexity());
    assertThat(got.getSteps()).isEqualTo((long) STEPS);
    assertThat(got.getFinalLoss()).isEqualTo(want.getFinalLoss());
    assertThat(got.getNegLogPerplexity()).isEqualTo(want.getNegLogPerplexity());

    // A second attempt ran: a plain delete carries no DisruptionTarget condition, so the Job
    // controller counts it as a failed attempt (a retry), where an eviction or preemption would
    // count as a disruption; either way the new pod resumed instead of starting over.
    var status = resumed.getStatus();
    assertThat(zeroIfNull(status.getRetries()) + zeroIfNull(status.getDisruptions())).isGreaterThanOrEqualTo(1);
    Pod second = trainerPods(resumed).stream()
        .filter(p -> !p.getMetadata().getUid().equals(first.getMetadata().getUid()))
        .filter(p -> "Succeeded".equals(p.getStatus().getPhase()))
        .findFirst().orElseThrow(() -> new AssertionError("no second pod succeeded"));
    assertThat(kubectl.run("logs", "-n", ns.name(), second.getMetadata().getName()))
        .containsPattern("resuming after step (" + CHECKPOINT_EVERY + "|" + 2 * CHECKPOINT_EVERY + "|" + 3 * CHECKPOINT_EVERY + ")\\b");
  }

  /** The example's base shape alone, pretraining only, long enough to be deleted in the middle. */
  private ScalingSweep oneTrial(String name) throws Exception {
    return Examples.sweep("local-cluster.yaml", cluster, s -> {
      s.getMetadata().setName(name);
      s.getSpec().setScaling(null);
      s.getSpec().setFinetune(null);
      s.getSpec().getPretrain().setSteps(STEPS);
      s.getSpec().getPretrain().setCheckpointEvery(CHECKPOINT_EVERY);
    });
  }

  private String trialName(String sweep) {
    return client.resources(TrainingJob.class).inNamespace(ns.name()).list().getItems().stream()
        .filter(t -> sweep.equals(t.getSpec().getSweep()))
        .map(t -> t.getMetadata().getName())
        .findFirst()
        .orElse(sweep + "-ti");
  }

  private static int zeroIfNull(Integer n) {
    return n == null ? 0 : n;
  }

  private List<Pod> trainerPods(TrainingJob trial) {
    return client.pods().inNamespace(ns.name())
        .withLabel("batch.kubernetes.io/job-name", trial.getStatus().getJobName())
        .list().getItems();
  }
}
