package io.scalesweep.trainer.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scalesweep.api.v1alpha1.DataFormat;
import java.io.Closeable;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

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
  private final NumberedLines lines;
  private long documents;
  private long emptySkipped;

  DocumentReader(String name, InputStream raw, Kind kind, String textField) {
    this.name = name;
    this.kind = kind;
    this.textField = textField;
    this.lines = new NumberedLines(name, "corpus file " + name, raw);
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
    while ((line = lines.next()) != null) {
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


  private String textOf(String line) {
    JsonNode record;
    try {
      record = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new DataException(
          "corpus file " + name + " line " + lines.lineNumber() + ": not a JSON record: "
              + e.getOriginalMessage(), e);
    }
    JsonNode text = record == null ? null : record.get(textField);
    if (text == null || !text.isTextual()) {
      throw new DataException(
          "corpus file " + name + " line " + lines.lineNumber() + ": no string field '" + textField
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
    lines.close();
  }

}
