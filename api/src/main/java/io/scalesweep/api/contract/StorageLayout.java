package io.scalesweep.api.contract;

/**
 * Where everything of a sweep lives under the storage root: {@code
 * <root>/<namespace>/<sweep>/catalog.json}, the ownership marker {@code owner.json} beside it and,
 * per trial, {@code <root>/<namespace>/<sweep>/<trial>/} holding its own {@code owner.json}, {@code
 * metrics.jsonl}, {@code result.json} and {@code checkpoints/step-N/}, and, when the trial
 * fine-tunes, {@code finetune/checkpoints/step-N/} (the same layout, steps counted from the start
 * of fine-tuning). A checkpoint is complete only when its {@code manifest.json}, written last,
 * exists.
 *
 * <p>The namespace keeps two teams that apply the same sweep name to one bucket apart; a run
 * outside a cluster has none and writes {@code <root>/<sweep>/}. The markers ({@link
 * StorageOwner}) keep a sweep deleted and created again under the same name from adopting, or
 * deleting, what the first one wrote.
 */
public final class StorageLayout {

  public static final String CATALOG_FILE = "catalog.json";
  public static final String METRICS_FILE = "metrics.jsonl";
  public static final String RESULT_FILE = "result.json";
  /** Where a running trial stands ({@code TrainingProgress} as JSON), rewritten as it trains. */
  public static final String PROGRESS_FILE = "progress.json";
  public static final String CHECKPOINTS_DIR = "checkpoints";
  public static final String CHECKPOINT_PREFIX = "step-";
  public static final String CHECKPOINT_MANIFEST = "manifest.json";
  /** Folder of everything fine-tuning writes, beside pretraining's {@link #CHECKPOINTS_DIR}. */
  public static final String FINETUNE_DIR = "finetune";
  /** The ownership marker of a sweep's folder and of each trial's ({@link StorageOwner}). */
  public static final String OWNER_FILE = "owner.json";

  private StorageLayout() {}

  /**
   * {@code finetune/predictions/<task>.jsonl} of a trial: the model's output for each validation
   * input of the task, beside the accepted answers.
   */
  public static String predictionsFile(String task) {
    return FINETUNE_DIR + "/predictions/" + task + ".jsonl";
  }

  /**
   * {@code <namespace>/<sweep>/}, the sweep's folder relative to the storage root; {@code
   * <sweep>/} without a namespace.
   */
  public static String sweepKey(String namespace, String sweep) {
    return namespace == null || namespace.isBlank() ? sweep + "/" : namespace + "/" + sweep + "/";
  }

  /** {@code <root>/<namespace>/<sweep>/}, with exactly one slash between the parts. */
  public static String sweepUri(String root, String namespace, String sweep) {
    return join(root, sweepKey(namespace, sweep));
  }

  /** {@code <root>/<namespace>/<sweep>/<trial>/}. */
  public static String trialUri(String root, String namespace, String sweep, String trial) {
    return join(sweepUri(root, namespace, sweep), trial) + "/";
  }

  /** {@code <trialUri>checkpoints/step-<step>/}. */
  public static String checkpointUri(String trialUri, long step) {
    return join(join(trialUri, CHECKPOINTS_DIR), CHECKPOINT_PREFIX + step) + "/";
  }

  public static String catalogUri(String root, String namespace, String sweep) {
    return sweepUri(root, namespace, sweep) + CATALOG_FILE;
  }

  static String join(String base, String child) {
    String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    String c = child.startsWith("/") ? child.substring(1) : child;
    return b + "/" + c;
  }
}
