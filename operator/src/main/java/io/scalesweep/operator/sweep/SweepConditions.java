package io.scalesweep.operator.sweep;

/**
 * Condition types and reasons of a ScalingSweep's status.
 *
 * <ul>
 *   <li>{@code Ready}: True once every trial has finished and the sweep did not fail.
 *   <li>{@code Progressing}: True while trials run or wait to be launched.
 *   <li>{@code Suspended}: True while {@code spec.suspend} holds back new trials.
 *   <li>{@code Failed}: True once more than {@code maxFailedTrials} trials failed; no new trials.
 *   <li>{@code InvalidSpec}: True when the spec cannot be expanded or run; its message names the
 *       field. Nothing is launched while it holds.
 * </ul>
 */
public final class SweepConditions {

  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String SUSPENDED = "Suspended";
  public static final String FAILED = "Failed";
  public static final String INVALID_SPEC = "InvalidSpec";
  /** kstatus' (Flux's) condition for a resource that cannot get healthy without a change. */
  public static final String STALLED = "Stalled";

  /** Ready: every trial succeeded. */
  public static final String REASON_SUCCEEDED = "Succeeded";
  /** Ready: every trial finished, some failed (no more than maxFailedTrials). */
  public static final String REASON_COMPLETED_WITH_FAILURES = "CompletedWithFailures";
  /** Ready and Progressing: trials are running or waiting for a slot. */
  public static final String REASON_TRIALS_IN_PROGRESS = "TrialsInProgress";
  /** Progressing: nothing left to run. */
  public static final String REASON_FINISHED = "Finished";
  public static final String REASON_SUSPENDED = "SuspendedByUser";
  public static final String REASON_NOT_SUSPENDED = "NotSuspended";
  public static final String REASON_TOO_MANY_FAILED_TRIALS = "TooManyFailedTrials";
  public static final String REASON_WITHIN_FAILURE_BUDGET = "WithinFailureBudget";
  public static final String REASON_INVALID_FIELD = "InvalidField";
  public static final String REASON_VALID = "Valid";
  public static final String REASON_NOT_STALLED = "NotStalled";

  private SweepConditions() {}
}
