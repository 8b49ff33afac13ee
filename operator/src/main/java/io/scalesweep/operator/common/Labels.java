package io.scalesweep.operator.common;

/** Label and annotation keys the operator puts on what it creates, in one place. */
public final class Labels {

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "scalesweep-operator";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String COMPONENT_TRAINER = "trainer";

  /** Name of the sweep a TrainingJob, Job or pod belongs to (shortened to a label value). */
  public static final String SWEEP = "scalesweep.io/sweep";
  /** Name of the TrainingJob a Job or pod runs (shortened to a label value). */
  public static final String TRAINING_JOB = "scalesweep.io/training-job";
  /**
   * The full TrainingJob name on pods: label values stop at 63 characters, TrainingJob names do
   * not, and pods are mapped back to their TrainingJob (in the pod's namespace) through this
   * annotation.
   */
  public static final String TRAINING_JOB_ANNOTATION = "scalesweep.io/training-job-name";

  /**
   * Annotation on a TrainingJob: SHA-256 of its spec (shape and recipe) when the sweep created it,
   * so that trials of one sweep can be shown to share one recipe.
   */
  public static final String RECIPE_HASH = "scalesweep.io/recipe-hash";

  /**
   * Label on a TrainingJob whose final status is stored and for which the operator has nothing
   * left to do: the trial controller no longer watches it ({@link #UNFINISHED_SELECTOR}), so
   * finished trials do not accumulate in its cache. {@code kubectl get trainingjobs -l
   * '!scalesweep.io/finished'} lists the trials still in flight.
   */
  public static final String FINISHED = "scalesweep.io/finished";
  public static final String FINISHED_VALUE = "true";
  /** The TrainingJobs the trial controller watches: those not yet {@link #FINISHED}. */
  public static final String UNFINISHED_SELECTOR = "!" + FINISHED;

  /** Kueue admits a Job into the LocalQueue this label names. */
  public static final String KUEUE_QUEUE_NAME = "kueue.x-k8s.io/queue-name";

  /** Selects the trainer Jobs and pods the operator watches, and nothing else. */
  public static final String TRAINER_SELECTOR =
      MANAGED_BY + "=" + MANAGED_BY_VALUE + "," + COMPONENT + "=" + COMPONENT_TRAINER;

  private Labels() {}
}
