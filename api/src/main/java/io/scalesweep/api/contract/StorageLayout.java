package io.scalesweep.api.contract;

/**
 * Where everything of a sweep lives under the storage root: {@code <root>/<sweep>/catalog.json}
 * and, per trial, {@code <root>/<sweep>/<trial>/} holding {@code metrics.jsonl}, {@code
 * result.json} and {@code checkpoints/step-N/}, and, when the trial fine-tunes, {@code
 * finetune/checkpoints/step-N/} (the same layout, steps counted from the start of fine-tuning). A
 * checkpoint is complete only when its {@code manifest.json}, written last, exists.
 */
public final class StorageLayout {

  public static final String CATALOG_FILE = "catalog.json";
  public static final String METRICS_FILE = "metrics.jsonl";
  public static final String RESULT_FILE = "result.json";
  public static final String CHECKPOINTS_DIR = "checkpoints";
  public static final String CHECKPOINT_PREFIX = "step-";
  public static final String CHECKPOINT_MANIFEST = "manifest.json";
  /** Folder of everything fine-tuning writes, beside pretraining's {@link #CHECKPOINTS_DIR}. */
  public static final String FINETUNE_DIR = "finetune";

  private StorageLayout() {}

  /**
   * {@code finetune/predictions/<task>.jsonl} of a trial: the model's output for each validation
   * input of the task, beside the accepted answers.
   */
  public static String predictionsFile(String task) {
    return FINETUNE_DIR + "/predictions/" + task + ".jsonl";
  }

  /** {@code <root>/<sweep>/}, with exactly one slash between the parts. */
  public static String sweepUri(String root, String sweep) {
    return join(root, sweep) + "/";
  }

  /** {@code <root>/<sweep>/<trial>/}. */
  public static String trialUri(String root, String sweep, String trial) {
    return join(join(root, sweep), trial) + "/";
  }

  /** {@code <trialUri>checkpoints/step-<step>/}. */
  public static String checkpointUri(String trialUri, long step) {
    return join(join(trialUri, CHECKPOINTS_DIR), CHECKPOINT_PREFIX + step) + "/";
  }

  public static String catalogUri(String root, String sweep) {
    return join(root, sweep) + "/" + CATALOG_FILE;
  }

  static String join(String base, String child) {
    String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    String c = child.startsWith("/") ? child.substring(1) : child;
    return b + "/" + c;
  }
}
