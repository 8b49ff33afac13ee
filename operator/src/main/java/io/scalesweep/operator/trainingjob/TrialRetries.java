package io.scalesweep.operator.trainingjob;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobSpec;
import io.scalesweep.operator.common.SpecDefaults;
import java.util.HashMap;
import java.util.Optional;

/**
 * Retries across the Jobs of one trial. A trial gets a new Job after a suspension (its old Job
 * was deleted), and the Job controller's {@code status.failed} starts again at 0 with it. So each
 * Job carries, in an annotation, the retries its trial had used before it, and gets only what is
 * left of {@code maxRetries} as its {@code backoffLimit}: a suspension neither uses up a retry
 * nor hands the used ones back. The trial's {@code status.retries} is that count plus the Job's
 * failed pods.
 */
final class TrialRetries {

  /** On a trial's Job: the retries its trial had used before this Job was created. */
  static final String RETRIES_BEFORE = "scalesweep.io/retries-before";

  private static final int DEFAULT_MAX_RETRIES =
      SpecDefaults.declaredDefault(TrainingJobSpec.class, "maxRetries", Integer.class);

  private TrialRetries() {}

  /** The retries the trial had used before this Job; 0 for a Job without the annotation. */
  static int before(Job job) {
    var annotations = job.getMetadata() == null ? null : job.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(RETRIES_BEFORE);
    if (value == null) {
      return 0;
    }
    try {
      return Math.max(0, Integer.parseInt(value));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The retries the trial has used so far: its stored count, or 0. */
  static int used(TrainingJob trial) {
    Integer retries = trial.getStatus() == null ? null : trial.getStatus().getRetries();
    return retries == null ? 0 : Math.max(0, retries);
  }

  /**
   * The Job to create, given the one built from the trial's spec: when the trial already used
   * retries (an earlier Job, deleted by a suspension), it says so and keeps only the rest.
   */
  static Job carriedOver(Job desired, TrainingJob trial) {
    int used = used(trial);
    if (used == 0) {
      return desired;
    }
    Integer maxRetries = trial.getSpec().getMaxRetries();
    int max = maxRetries == null ? DEFAULT_MAX_RETRIES : maxRetries;
    var annotations = desired.getMetadata().getAnnotations() == null
        ? new HashMap<String, String>() : new HashMap<>(desired.getMetadata().getAnnotations());
    annotations.put(RETRIES_BEFORE, Integer.toString(used));
    desired.getMetadata().setAnnotations(annotations);
    desired.getSpec().setBackoffLimit(Math.max(0, max - used));
    return desired;
  }

  /** The trial's retries while this Job runs (or with no Job: what was stored). */
  static int current(TrainingJob trial, Optional<Job> job, int failedPods) {
    return job.map(j -> before(j) + failedPods).orElse(used(trial));
  }
}
