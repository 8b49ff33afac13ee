package io.scalesweep.api.v1alpha1;

/** Lifecycle phase of one trial. */
public enum TrialPhase {
  /** Created, waiting for a parallelism slot or for its pod to start. */
  Pending,
  /** Its pod is training. */
  Running,
  /** Finished and reported results. */
  Succeeded,
  /** Failed after all retries, or its spec is invalid. */
  Failed;

  public boolean isFinished() {
    return this == Succeeded || this == Failed;
  }
}
