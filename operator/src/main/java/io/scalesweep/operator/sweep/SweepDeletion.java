package io.scalesweep.operator.sweep;

import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The next step in deleting a sweep whose objects go with it ({@code
 * storage.deleteOnSweepDeletion}): a pure function of what the operator observes, so that the
 * order (stop the trials, wait for their pods, then delete the objects) and every way out are
 * unit-tested without a cluster.
 *
 * <p>Deletion must never wedge a namespace: a store that stays down or a Secret that is gone
 * cannot be waited out, so the operator gives up after {@code timeout}, at once when the Secret
 * is gone, or when an admin sets {@link #FORCE_ANNOTATION}, and says what it left behind.
 */
public final class SweepDeletion {

  /** {@code "true"} on a sweep being deleted: remove it now and leave its objects in storage. */
  public static final String FORCE_ANNOTATION = "scalesweep.io/force-delete";

  public static final String REASON_STOPPING_TRIALS = "StoppingTrials";
  public static final String REASON_WAITING_FOR_PODS = "WaitingForTrainerPods";
  public static final String REASON_OBJECTS_LEFT = "ObjectsLeft";

  public enum Action {
    /** Delete the unfinished TrainingJobs (their Jobs and pods go with them). */
    STOP_TRIALS,
    /** Trainer pods still run or terminate: a checkpoint written now would outlive the delete. */
    WAIT_FOR_PODS,
    DELETE_OBJECTS,
    /** Remove the finalizer without deleting the objects. */
    GIVE_UP
  }

  /**
   * @param action what to do
   * @param trialsToStop the TrainingJobs to delete, for {@link Action#STOP_TRIALS}
   * @param why for {@link Action#GIVE_UP}: what stops the operator, for the Event
   */
  public record Step(Action action, List<TrainingJob> trialsToStop, String why) {

    static Step of(Action action) {
      return new Step(action, List.of(), "");
    }

    static Step giveUp(String why) {
      return new Step(Action.GIVE_UP, List.of(), why);
    }
  }

  /**
   * What the operator observes of a sweep being deleted.
   *
   * @param trials the sweep's TrainingJobs
   * @param activeTrainerPods trainer pods of the sweep not yet Succeeded or Failed (terminating
   *     ones included)
   * @param secretGone whether {@code storage.secretRef} names a Secret that is gone or going
   */
  public record Observed(Collection<TrainingJob> trials, int activeTrainerPods, boolean secretGone) {}

  private SweepDeletion() {}

  public static Step next(ScalingSweep sweep, Observed observed, Instant now, Duration timeout) {
    if (forced(sweep)) {
      return Step.giveUp("the " + FORCE_ANNOTATION + " annotation asks for removal without cleanup");
    }
    if (observed.secretGone()) {
      // Nothing can authenticate to the store any more; typically the namespace itself is going.
      return Step.giveUp("its storage Secret " + sweep.getSpec().getStorage().getSecretRef() + " is gone");
    }
    if (now.isAfter(deadline(sweep, timeout))) {
      return Step.giveUp("cleanup did not finish within " + timeout.toSeconds() + "s");
    }
    List<TrainingJob> unfinished = observed.trials().stream()
        .filter(t -> t.getMetadata().getDeletionTimestamp() == null)
        .filter(t -> !TrainingJobStatus.finished(t.getStatus()))
        .toList();
    if (!unfinished.isEmpty()) {
      return new Step(Action.STOP_TRIALS, unfinished, "");
    }
    if (observed.activeTrainerPods() > 0) {
      return Step.of(Action.WAIT_FOR_PODS);
    }
    return Step.of(Action.DELETE_OBJECTS);
  }

  /** When the operator stops trying: the deletion request plus the timeout. */
  public static Instant deadline(ScalingSweep sweep, Duration timeout) {
    String requested = sweep.getMetadata().getDeletionTimestamp();
    return (requested == null ? Instant.now() : Instant.parse(requested)).plus(timeout);
  }

  static boolean forced(ScalingSweep sweep) {
    Map<String, String> annotations = sweep.getMetadata().getAnnotations();
    return annotations != null && "true".equalsIgnoreCase(annotations.get(FORCE_ANNOTATION));
  }
}
