package io.scalesweep.trainer.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * The UTF-8 lines of a corpus or task file, gunzipped when its name ends in {@code .gz}, counted so
 * that every error can say where it happened.
 */
public final class NumberedLines implements Closeable {

  private static final int BUFFER = 1 << 16;

  private final String label;
  private final boolean gzip;
  private final BufferedReader lines;
  private long lineNumber;

  /**
   * @param name the file's name; a {@code .gz} suffix means gzip
   * @param label how messages name the file, for example {@code "corpus file c4.jsonl.gz"}
   * @throws DataException when a gzip file does not even start as gzip
   */
  public NumberedLines(String name, String label, InputStream raw) {
    this.label = label;
    this.gzip = name.endsWith(".gz");
    InputStream in = new BufferedInputStream(raw, BUFFER);
    if (gzip) {
      try {
        in = new GZIPInputStream(in, BUFFER);
      } catch (IOException e) {
        closeQuietly(raw);
        throw new DataException(label + " is not readable gzip: " + e.getMessage(), e);
      }
    }
    this.lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), BUFFER);
  }

  /** The next line, or null at the end. @throws DataException when reading fails midway */
  public String next() {
    try {
      String line = lines.readLine();
      if (line != null) {
        lineNumber++;
      }
      return line;
    } catch (IOException e) {
      throw new DataException(
          label + ": read failed after line " + lineNumber
              + (gzip ? " (corrupt or truncated gzip?)" : "") + ": " + e.getMessage(),
          e);
    }
  }

  /** The number of the line {@link #next} returned last (1-based; 0 before the first). */
  public long lineNumber() {
    return lineNumber;
  }

  @Override
  public void close() {
    closeQuietly(lines);
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // closing a read-only stream has nothing left to lose
    }
  }
}
