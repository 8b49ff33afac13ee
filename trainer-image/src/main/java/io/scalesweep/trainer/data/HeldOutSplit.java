package io.scalesweep.trainer.data;

/**
 * The held-out slice of a corpus used for the upstream metric when a recipe gives no separate
 * validation dataset: about one document in {@code every}, chosen by a hash of the file's base
 * name and the document's index in it. Hashing (rather than "every Nth document") keeps the
 * fraction right for corpora of many one-document files, and depends on neither the folder the
 * corpus is mounted at nor the order the files are read in.
 */
public record HeldOutSplit(int every) {

  /** One document in 100 (1%): enough held-out text for the evaluation batches of a C4 shard. */
  public static final HeldOutSplit DEFAULT = new HeldOutSplit(100);
  /** Nothing held out. */
  public static final HeldOutSplit NONE = new HeldOutSplit(0);

  public HeldOutSplit {
    if (every < 0 || every == 1) {
      throw new IllegalArgumentException("every must be 0 (none) or at least 2, got " + every);
    }
  }

  /** Which documents a pipeline reads. */
  public enum Role {
    /** All documents except the held-out ones. */
    TRAIN,
    /** Only the held-out documents. */
    HELD_OUT,
    /** Every document (a dataset given for validation alone). */
    ALL
  }

  public boolean isHeldOut(String fileName, long documentIndex) {
    if (every == 0) {
      return false;
    }
    int slash = fileName.lastIndexOf('/');
    String base = slash < 0 ? fileName : fileName.substring(slash + 1);
    long h = SeedMixer.mix(base.hashCode() * 0x9E3779B97F4A7C15L + documentIndex);
    return Long.remainderUnsigned(h, every) == 0;
  }

  public boolean keeps(Role role, String fileName, long documentIndex) {
    return switch (role) {
      case ALL -> true;
      case TRAIN -> !isHeldOut(fileName, documentIndex);
      case HELD_OUT -> isHeldOut(fileName, documentIndex);
    };
  }
}
