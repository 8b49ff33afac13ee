package io.scalesweep.api.contract;

/**
 * The contract between the operator and the trainer image, defined once and used by both: how a
 * trial reaches the pod, where results go, and how the pod reports back.
 *
 * <p>The operator mounts the resolved TrainingJob as JSON at {@link #TRIAL_PATH} and runs {@code
 * train --trial TRIAL_PATH --output <storage>/<namespace>/<sweep>/<trial>/}. The trainer writes under that
 * prefix (see {@link StorageLayout}) and, at the end, a JSON summary of at most {@link
 * #TERMINATION_MESSAGE_MAX_BYTES} to the termination-message file, which the operator reads from
 * the pod status.
 */
public final class TrainerContract {

  /** Folder the trial ConfigMap is mounted at. */
  public static final String TRIAL_MOUNT_DIR = "/etc/scalesweep";
  /** Key of the trial in the ConfigMap, and its file name in {@link #TRIAL_MOUNT_DIR}. */
  public static final String TRIAL_FILE = "trial.json";
  public static final String TRIAL_PATH = TRIAL_MOUNT_DIR + "/" + TRIAL_FILE;

  /** Writable scratch folder (the root filesystem is read-only); also the DJL cache. */
  public static final String SCRATCH_DIR = "/scratch";
  /** Memory-backed shared memory for the data pipeline and libtorch. */
  public static final String SHM_DIR = "/dev/shm";

  /** Kubernetes' default termination-message path. */
  public static final String TERMINATION_LOG = "/dev/termination-log";
  /** The kubelet truncates termination messages beyond 4 KiB. */
  public static final int TERMINATION_MESSAGE_MAX_BYTES = 4096;

  /** Overrides where the trainer writes its termination summary. */
  public static final String ENV_TERMINATION_LOG = "SCALESWEEP_TERMINATION_LOG";
  /** S3 endpoint for S3-compatible stores; AWS when unset. */
  public static final String ENV_S3_ENDPOINT = "SCALESWEEP_S3_ENDPOINT";
  /** "true" for path-style S3 addressing. */
  public static final String ENV_S3_PATH_STYLE = "SCALESWEEP_S3_PATH_STYLE";
  /** S3 region (the AWS SDK's own variable). */
  public static final String ENV_AWS_REGION = "AWS_REGION";
  /** Credentials, taken from the storage Secret by reference (the Secret's keys have these names). */
  public static final String ENV_AWS_ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
  public static final String ENV_AWS_SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
  /**
   * The UID the trial's folder in storage belongs to ({@link StorageOwner}): the trainer writes
   * it into {@code owner.json} there before anything else, and refuses a folder that names
   * another. Unset outside a cluster: no check.
   */
  public static final String ENV_OWNER_UID = "SCALESWEEP_OWNER_UID";
  /**
   * Seconds between the trainer's rewrites of {@code progress.json} (default {@link
   * #DEFAULT_PROGRESS_INTERVAL_SECONDS}); the operator reads it about once a minute per trial.
   */
  public static final String ENV_PROGRESS_INTERVAL = "SCALESWEEP_PROGRESS_INTERVAL_SECONDS";
  public static final int DEFAULT_PROGRESS_INTERVAL_SECONDS = 30;
  /** GPUs the pod was given; the trainer refuses to start when it finds fewer. */
  public static final String ENV_EXPECTED_GPUS = "SCALESWEEP_EXPECTED_GPUS";

  /** DJL must never reach the network: no engine download, no tracking call at engine start. */
  public static final String ENV_DJL_OFFLINE = "DJL_OFFLINE";
  public static final String ENV_OPT_OUT_TRACKING = "OPT_OUT_TRACKING";
  /** DJL's cache (the unpacked libtorch) lives under {@link #SCRATCH_DIR}: the root is read-only. */
  public static final String ENV_DJL_CACHE_DIR = "DJL_CACHE_DIR";
  public static final String DJL_CACHE_DIR = SCRATCH_DIR + "/djl";

  /** Exit code for a trial that can never succeed (bad spec, unreadable corpus): do not retry. */
  public static final int EXIT_INVALID_TRIAL = 2;
  /** Exit code when the GPUs the pod was promised are not visible: retrying elsewhere may help. */
  public static final int EXIT_NO_GPU = 3;

  /** The trainer's sub-command the pod runs, and its options. */
  public static final String TRAIN_COMMAND = "train";
  public static final String OPT_TRIAL = "--trial";
  public static final String OPT_OUTPUT = "--output";

  private TrainerContract() {}
}
