package io.scalesweep.trainer.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scalesweep.api.v1alpha1.DataFormat;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The documents of one corpus file. Plain text: one document per non-blank line (the layout of
 * most text dumps; a paragraph layout would let one file without blank lines become a single
 * unbounded document). JSONL: one record per non-blank line, its text in a named string field;
 * a record without that field fails the run, because a wrong {@code textField} would otherwise
 * silently train on nothing. Empty texts are skipped and counted. {@code .gz} files are gunzipped.
 */
final class DocumentReader implements Closeable {

  private static final ObjectMapper JSON = new ObjectMapper();

  enum Kind {
    TEXT,
    JSONL
  }

  private final String name;
  private final Kind kind;
  private final String textField;
  private final BufferedReader lines;
  private long lineNumber;
  private long documents;
  private long emptySkipped;

  DocumentReader(String name, InputStream raw, Kind kind, String textField) {
    this.name = name;
    this.kind = kind;
    this.textField = textField;
    InputStream in = new BufferedInputStream(raw, 1 << 16);
    if (name.endsWith(".gz")) {
      try {
        in = new GZIPInputStream(in, 1 << 16);
      } catch (IOException e) {
        closeQuietly(raw);
        throw new DataException("corpus file " + name + " is not readable gzip: " + e.getMessage(), e);
      }
    }
    this.lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
  }

  /** TEXT or JSONL from the format, or by the name when the format is auto (or null). */
  static Kind kindOf(String name, DataFormat format) {
    if (format == DataFormat.TEXT) {
      return Kind.TEXT;
    }
    if (format == DataFormat.JSONL) {
      return Kind.JSONL;
    }
    String base = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    if (base.endsWith(".jsonl") || base.endsWith(".json") || base.endsWith(".ndjson")) {
      return Kind.JSONL;
    }
    if (base.endsWith(".txt") || base.endsWith(".text")) {
      return Kind.TEXT;
    }
    throw new DataException(
        "corpus file " + name + ": cannot tell the format from the name (.jsonl, .json, .txt, "
            + "optionally .gz); set dataset.format to text or jsonl");
  }

  /** The next document's text, or null at the end of the file. */
  String next() {
    String line;
    while ((line = readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      String text = kind == Kind.TEXT ? line : textOf(line);
      if (text.isEmpty()) {
        emptySkipped++;
        continue;
      }
      documents++;
      return text;
    }
    return null;
  }

  /** Documents returned so far. */
  long documents() {
    return documents;
  }

  /** JSONL records whose text was the empty string. */
  long emptySkipped() {
    return emptySkipped;
  }

  private String readLine() {
    try {
      String line = lines.readLine();
      if (line != null) {
        lineNumber++;
      }
      return line;
    } catch (IOException e) {
      throw new DataException(
          "corpus file " + name + ": read failed after line " + lineNumber
              + (name.endsWith(".gz") ? " (corrupt or truncated gzip?)" : "") + ": " + e.getMessage(),
          e);
    }
  }

  private String textOf(String line) {
    JsonNode record;
    try {
      record = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new DataException(
          "corpus file " + name + " line " + lineNumber + ": not a JSON record: "
              + e.getOriginalMessage(), e);
    }
    JsonNode text = record == null ? null : record.get(textField);
    if (text == null || !text.isTextual()) {
      throw new DataException(
          "corpus file " + name + " line " + lineNumber + ": no string field '" + textField
              + "' (fields: " + fieldNames(record) + "); set dataset.textField");
    }
    return text.asText();
  }

  private static List<String> fieldNames(JsonNode record) {
    List<String> names = new ArrayList<>();
    if (record != null && record.isObject()) {
      record.fieldNames().forEachRemaining(names::add);
    }
    return names;
  }

  @Override
  public void close() {
    closeQuietly(lines);
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // nothing useful to do when closing a read-only stream fails
    }
  }
}
