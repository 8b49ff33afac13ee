package io.scalesweep.api.contract;

/**
 * Where everything of a sweep lives under the storage root: {@code <root>/<sweep>/catalog.json}
 * and, per trial, {@code <root>/<sweep>/<trial>/} holding {@code metrics.jsonl}, {@code
 * result.json} and {@code checkpoints/step-N/}. A checkpoint is complete only when its {@code
 * manifest.json}, written last, exists.
 */
public final class StorageLayout {

  public static final String CATALOG_FILE = "catalog.json";
  public static final String METRICS_FILE = "metrics.jsonl";
  public static final String RESULT_FILE = "result.json";
  public static final String CHECKPOINTS_DIR = "checkpoints";
  public static final String CHECKPOINT_PREFIX = "step-";
  public static final String CHECKPOINT_MANIFEST = "manifest.json";

  private StorageLayout() {}

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
