package io.scalesweep.trainer.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scalesweep.api.v1alpha1.TaskFormat;
import io.scalesweep.trainer.data.DataException;
import io.scalesweep.trainer.data.NumberedLines;
import java.io.Closeable;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/**
 * The records of one task file: JSONL (one object per line) or TSV with a header row, tab
 * separated and unquoted as GLUE ships it (a quote is an ordinary character there). Blank lines
 * are skipped; {@code .gz} files are gunzipped. A malformed line fails with its number rather
 * than being skipped, because silently dropped examples change the score being compared.
 */
final class RecordReader implements Closeable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String file;
  private final TaskFormat format;
  private final NumberedLines lines;
  private List<String> header;

  RecordReader(String file, InputStream raw, TaskFormat format) {
    this.file = file;
    this.format = format;
    this.lines = new NumberedLines(file, file, raw);
  }

  /** The next record, or null at the end of the file. */
  TaskRecord next() {
    String line;
    while ((line = lines.next()) != null) {
      if (line.isBlank()) {
        continue;
      }
      if (format == TaskFormat.TSV && header == null) {
        header = headerOf(line);
        continue;
      }
      ObjectNode fields = format == TaskFormat.TSV ? row(line) : object(line);
      return new TaskRecord(file, lines.lineNumber(), fields);
    }
    return null;
  }

  private ObjectNode object(String line) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw malformed("not valid JSON: " + e.getOriginalMessage());
    }
    if (!(node instanceof ObjectNode object)) {
      throw malformed(
          "a JSON object is expected, found " + node.getNodeType().name().toLowerCase());
    }
    return object;
  }

  private List<String> headerOf(String line) {
    List<String> names = Arrays.asList(line.split("\t", -1));
    if (new HashSet<>(names).size() != names.size() || names.contains("")) {
      throw malformed("the TSV header has empty or repeated column names: " + names);
    }
    return names;
  }

  private ObjectNode row(String line) {
    String[] cells = line.split("\t", -1);
    if (cells.length != header.size()) {
      throw malformed(
          "has " + cells.length + " tab-separated columns but the header has " + header.size());
    }
    ObjectNode row = JSON.createObjectNode();
    for (int i = 0; i < cells.length; i++) {
      row.put(header.get(i), cells[i]);
    }
    return row;
  }

  private DataException malformed(String why) {
    return new DataException(file + " line " + lines.lineNumber() + " is malformed: " + why);
  }


  @Override
  public void close() {
    lines.close();
  }

}
