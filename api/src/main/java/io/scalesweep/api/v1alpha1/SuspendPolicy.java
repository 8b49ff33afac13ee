package io.scalesweep.api.v1alpha1;

/** What a sweep's {@code spec.suspend} stops. */
public enum SuspendPolicy {
  /** No new trials are launched; running trials run on to their end. */
  StopLaunching,
  /**
   * No new trials are launched and the unfinished ones are suspended too (their TrainingJobs get
   * {@code spec.suspend: true}): their Jobs are deleted, and they resume from their newest
   * complete checkpoint when the sweep resumes.
   */
  StopRunning;
}
