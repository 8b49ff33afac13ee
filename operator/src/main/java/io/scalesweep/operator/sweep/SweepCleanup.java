package io.scalesweep.operator.sweep;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.operator.common.InvalidSpecs;
import io.scalesweep.operator.common.KubeEvents;
import io.scalesweep.operator.common.KubeNames;
import io.scalesweep.operator.common.Labels;
import io.scalesweep.operator.config.AdmissionPolicy;
import io.scalesweep.operator.storage.SweepObjects;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Carries out {@link SweepDeletion}'s steps for a sweep being deleted whose objects go with it:
 * deletes its unfinished TrainingJobs, waits for their pods, deletes its objects, and lets JOSDK
 * remove its finalizer when done or when giving up. Every pass records at most one
 * Event, and repeats of it are aggregated ({@link KubeEvents}).
 */
final class SweepCleanup {

  static final String REASON_OBJECTS_DELETED = "ObjectsDeleted";
  static final String REASON_OBJECTS_KEPT = "ObjectsNotOwned";
  static final String REASON_STORAGE_ERROR = "StorageError";
  /** Pods get a grace period to stop; looking again this often ends the wait soon after. */
  static final Duration POLL = Duration.ofSeconds(2);
  static final Duration STORAGE_RETRY = Duration.ofSeconds(10);

  private static final Logger LOG = Logger.getLogger(SweepCleanup.class);

  private final Duration timeout;
  private final AdmissionPolicy policy;

  SweepCleanup(Duration timeout, AdmissionPolicy policy) {
    this.timeout = timeout;
    this.policy = policy;
  }

  DeleteControl step(ScalingSweep sweep, Context<ScalingSweep> context) {
    KubernetesClient client = context.getClient();
    var observed = new SweepDeletion.Observed(
        trainingJobs(client, sweep), activeTrainerPods(client, sweep), secretGone(client, sweep));
    Instant now = Instant.now();
    SweepDeletion.Step step = SweepDeletion.next(sweep, observed, now, timeout);
    String uri = SweepObjects.sweepUri(sweep);
    return switch (step.action()) {
      case STOP_TRIALS -> {
        stop(client, step.trialsToStop());
        KubeEvents.record(client, sweep, KubeEvents.NORMAL, SweepDeletion.REASON_STOPPING_TRIALS,
            "stopping " + step.trialsToStop().size() + " unfinished trials before deleting " + uri);
        yield again(sweep, POLL, now);
      }
      case WAIT_FOR_PODS -> {
        KubeEvents.record(client, sweep, KubeEvents.NORMAL, SweepDeletion.REASON_WAITING_FOR_PODS,
            "waiting for " + observed.activeTrainerPods() + " trainer pods to stop before deleting " + uri);
        yield again(sweep, POLL, now);
      }
      case DELETE_OBJECTS -> deleteObjects(sweep, context, uri, now);
      case GIVE_UP -> {
        KubeEvents.record(client, sweep, KubeEvents.WARNING, SweepDeletion.REASON_OBJECTS_LEFT,
            "left " + uri + " in storage: " + step.why() + "; delete it with the store's own tools if it is not wanted");
        yield DeleteControl.defaultDelete();
      }
    };
  }

  private DeleteControl deleteObjects(ScalingSweep sweep, Context<ScalingSweep> context, String uri, Instant now) {
    KubernetesClient client = context.getClient();
    Optional<io.scalesweep.api.InvalidSpecException> refused = SweepValidation.problem(sweep.getSpec(), policy);
    if (refused.isPresent()) {
      // As in reconcile: storage a refused spec names is never touched, not even to delete.
      KubeEvents.record(client, sweep, KubeEvents.WARNING, REASON_OBJECTS_KEPT,
          "deleted nothing under " + uri + ": " + InvalidSpecs.describe(refused.get()));
      return DeleteControl.defaultDelete();
    }
    try {
      Optional<Integer> deleted = SweepObjects.delete(sweep, client);
      if (deleted.isPresent()) {
        KubeEvents.record(client, sweep, KubeEvents.NORMAL, REASON_OBJECTS_DELETED,
            "deleted " + deleted.get() + " objects under " + uri);
      } else {
        KubeEvents.record(client, sweep, KubeEvents.WARNING, REASON_OBJECTS_KEPT,
            "deleted nothing under " + uri + ": its " + StorageLayout.OWNER_FILE + " does not name this sweep");
      }
      return DeleteControl.defaultDelete();
    } catch (IOException | RuntimeException e) {
      // The store's own words stay in the operator's log: an error body is not the user's to read.
      LOG.warnf(e, "sweep %s/%s: could not delete %s", sweep.getMetadata().getNamespace(), sweep.getMetadata().getName(), uri);
      KubeEvents.record(client, sweep, KubeEvents.WARNING, REASON_STORAGE_ERROR,
          "could not delete " + uri + " (spec.storage.deleteOnSweepDeletion): " + e.getClass().getSimpleName()
              + "; retrying until " + SweepDeletion.deadline(sweep, timeout) + ", then the objects are left");
      return again(sweep, STORAGE_RETRY, now);
    }
  }

  /** Looks again after {@code delay}, but no later than the deadline, where the operator gives up. */
  private DeleteControl again(ScalingSweep sweep, Duration delay, Instant now) {
    Duration left = Duration.between(now, SweepDeletion.deadline(sweep, timeout)).plusMillis(100);
    Duration wait = left.compareTo(delay) < 0 ? left : delay;
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(wait.isNegative() ? Duration.ofMillis(100) : wait);
  }


  private static void stop(KubernetesClient client, List<TrainingJob> trials) {
    for (TrainingJob trial : trials) {
      // Background: the TrainingJob goes now; garbage collection takes its Job and the Job's pods,
      // whose end the next passes wait for.
      List<StatusDetails> gone = client.resource(trial).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
      LOG.debugf("stopped trial %s (%d deleted)", trial.getMetadata().getName(), gone.size());
    }
  }

  /**
   * The sweep's TrainingJobs, read from the API server: this controller keeps no TrainingJob
   * cache, as it only needs them for the few passes of a deletion.
   */
  static Set<TrainingJob> trainingJobs(KubernetesClient client, ScalingSweep sweep) {
    String selector = Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE + "," + Labels.SWEEP + "=" + KubeNames.labelValue(sweep.getMetadata().getName());
    String uid = sweep.getMetadata().getUid();
    return client.resources(TrainingJob.class).inNamespace(sweep.getMetadata().getNamespace()).withLabelSelector(selector).list().getItems()
        .stream()
        .filter(tj -> tj.getMetadata().getOwnerReferences().stream().anyMatch(owner -> owner.getUid().equals(uid)))
        .collect(Collectors.toSet());
  }

  /** Trainer pods of the sweep that have not ended, terminating ones included. */
  static int activeTrainerPods(KubernetesClient client, ScalingSweep sweep) {
    String selector = Labels.TRAINER_SELECTOR + "," + Labels.SWEEP + "=" + KubeNames.labelValue(sweep.getMetadata().getName());
    List<Pod> pods = client.pods().inNamespace(sweep.getMetadata().getNamespace()).withLabelSelector(selector).list().getItems();
    return (int) pods.stream().filter(SweepCleanup::active).count();
  }

  private static boolean active(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }

  /** Whether the Secret the storage names is gone or going; a read error is not taken for gone. */
  static boolean secretGone(KubernetesClient client, ScalingSweep sweep) {
    var storage = sweep.getSpec() == null ? null : sweep.getSpec().getStorage();
    if (storage == null || storage.getSecretRef() == null) {
      return false;
    }
    try {
      Secret secret = client.secrets().inNamespace(sweep.getMetadata().getNamespace()).withName(storage.getSecretRef()).get();
      return secret == null || secret.getMetadata().getDeletionTimestamp() != null;
    } catch (KubernetesClientException e) {
      LOG.debugf(e, "could not read Secret %s", storage.getSecretRef());
      return false;
    }
  }
}
