package io.scalesweep.trainer.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One raw record of a task file and where it was read, so that any problem with it can name
 * the file and line. TSV rows are held as JSON objects of strings, so templates see one shape.
 */
record TaskRecord(String file, long line, ObjectNode fields) {

  /**
   * The value of a field, or null when it is absent or JSON null. A name that is not a key
   * itself is read as a dotted path into nested objects and arrays ({@code answers.text.0}),
   * which is how SuperGLUE and SQuAD exports nest their answers.
   */
  JsonNode find(String name) {
    JsonNode node = fields.get(name);
    if (node == null) {
      node = fields;
      for (String part : name.split("\\.", -1)) {
        node = node.isArray() && isIndex(part) ? node.get(Integer.parseInt(part)) : node.get(part);
        if (node == null) {
          return null;
        }
      }
    }
    return node.isNull() ? null : node;
  }

  /** The top-level field names, for error messages that help fix a template. */
  List<String> fieldNames() {
    List<String> names = new ArrayList<>();
    fields.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** {@code file line N}, the prefix of every message about this record. */
  String where() {
    return file + " line " + line;
  }

  private static boolean isIndex(String part) {
    return !part.isEmpty() && part.length() < 10 && part.chars().allMatch(Character::isDigit);
  }
}
