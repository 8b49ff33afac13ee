package io.scalesweep.trainer.data;

import io.scalesweep.api.v1alpha1.DataFormat;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The documents of a corpus in a reproducible order, one split of it, for one pass or repeated
 * in epochs. Each epoch reads the files in a seeded shuffled order (documents inside a file keep
 * their order: corpora such as C4 are already shuffled within shards), so a position is just
 * (epoch, file ordinal, document index) and seeking replays the file up to the document.
 */
final class DocumentSource implements Closeable {

  /** A document and where it was read. */
  record Document(long epoch, int file, long index, String text) {}

  private final CorpusStore store;
  private final String uri;
  private final List<String> files;
  private final DataFormat format;
  private final String textField;
  private final HeldOutSplit split;
  private final HeldOutSplit.Role role;
  private final boolean repeat;
  private final Long shuffleSeed;

  private long epoch;
  private int[] order;
  private int file;
  private long nextIndex;
  private DocumentReader reader;
  private long keptThisEpoch;
  private boolean epochFromStart = true;

  /**
   * @param shuffleSeed seed of the per-epoch file order, or null to read files in listed order
   */
  DocumentSource(
      CorpusStore store,
      String uri,
      DataFormat format,
      String textField,
      HeldOutSplit split,
      HeldOutSplit.Role role,
      boolean repeat,
      Long shuffleSeed) {
    this.store = store;
    this.uri = uri;
    this.files = store.list(uri);
    this.format = format;
    this.textField = textField == null ? "text" : textField;
    this.split = split;
    this.role = role;
    this.repeat = repeat;
    this.shuffleSeed = shuffleSeed;
    files.forEach(f -> DocumentReader.kindOf(f, format)); // fail now on an unknown format
    this.order = orderOf(0);
  }

  /** Continues at a position that {@link #next()} reported or that lies just past one. */
  void seek(long epoch, int file, long document) {
    if (file > files.size()) {
      throw new DataException(
          "dataset " + uri + ": saved position names file " + file + " but there are only "
              + files.size() + " files now");
    }
    closeReader();
    this.epoch = epoch;
    this.order = orderOf(epoch);
    this.file = file;
    this.nextIndex = document;
    this.keptThisEpoch = 0;
    this.epochFromStart = file == 0 && document == 0;
  }

  /** The next document of the split, or null after the last one of a single pass. */
  Document next() {
    while (true) {
      if (file == files.size()) {
        if (epochFromStart && keptThisEpoch == 0) {
          throw new DataException(emptyMessage());
        }
        if (!repeat) {
          return null;
        }
        seek(epoch + 1, 0, 0);
      }
      if (reader == null) {
        openAt(nextIndex);
      }
      String text = reader.next();
      if (text == null) {
        closeReader();
        file++;
        nextIndex = 0;
        continue;
      }
      long index = nextIndex++;
      if (split.keeps(role, files.get(order[file]), index)) {
        keptThisEpoch++;
        return new Document(epoch, file, index, text);
      }
    }
  }

  /** Position of the document {@link #next()} would read first. */
  long epoch() {
    return epoch;
  }

  int file() {
    return file;
  }

  long nextIndex() {
    return nextIndex;
  }

  int fileCount() {
    return files.size();
  }

  private void openAt(long document) {
    String name = files.get(order[file]);
    try {
      reader =
          new DocumentReader(name, store.open(name), DocumentReader.kindOf(name, format), textField);
    } catch (IOException e) {
      throw new DataException("corpus file " + name + " cannot be opened: " + e.getMessage(), e);
    }
    for (long skipped = 0; skipped < document; skipped++) {
      if (reader.next() == null) {
        throw new DataException(
            "corpus file " + name + " has fewer than " + document
                + " documents now; was it changed since the checkpoint?");
      }
    }
  }

  private int[] orderOf(long epoch) {
    int[] o = new int[files.size()];
    for (int i = 0; i < o.length; i++) {
      o[i] = i;
    }
    if (shuffleSeed != null) {
      SplittableRandom random = new SplittableRandom(SeedMixer.mix(shuffleSeed ^ epoch * 31));
      for (int i = o.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = o[i];
        o[i] = o[j];
        o[j] = t;
      }
    }
    return o;
  }

  private String emptyMessage() {
    return switch (role) {
      case HELD_OUT -> "dataset " + uri + ": the held-out split (one document in " + split.every()
          + ") is empty; give pretrain.validation or use a larger corpus";
      case TRAIN -> "dataset " + uri + ": no text in " + files.size()
          + " file(s) outside the held-out split";
      case ALL -> "dataset " + uri + ": no text in " + files.size() + " file(s)";
    };
  }

  private void closeReader() {
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }

  @Override
  public void close() {
    closeReader();
  }
}
