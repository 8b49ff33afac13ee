package io.scalesweep.trainer.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Turns a task's raw records into text-to-text examples with its templates. Label words replace
 * the raw values of the fields the target template names (T5's BoolQ writes {@code True} where
 * the data has {@code true}); a target field holding a list yields one accepted answer per item,
 * as SQuAD's several human answers, with the first one as the training target.
 */
final class ExampleRenderer {

  private final TextTemplate input;
  private final TextTemplate target;
  private final Map<String, String> labels;
  private final boolean severalAnswers;
  private final TaskLocation at;

  /**
   * @param severalAnswers whether the metric can score against several answers; a list-valued
   *     target field is an error otherwise
   */
  ExampleRenderer(
      TextTemplate input,
      TextTemplate target,
      Map<String, String> labels,
      boolean severalAnswers,
      TaskLocation at) {
    this.input = input;
    this.target = target;
    this.labels = labels == null ? Map.of() : labels;
    this.severalAnswers = severalAnswers;
    this.at = at;
  }

  TextExample render(TaskRecord record, String split) {
    String where = split + " file " + record.where();
    String in = input.render(f -> scalar(record, f, "inputTemplate", where));
    List<String> listFields =
        target.fields().stream()
            .filter(f -> value(record, f, "targetTemplate", where).isArray())
            .toList();
    if (listFields.isEmpty()) {
      return new TextExample(
          in, target.render(f -> label(scalar(record, f, "targetTemplate", where), f, where)));
    }
    if (listFields.size() > 1) {
      throw at.invalid(
          "targetTemplate",
          where + ": fields " + listFields + " are all lists; at most one may list the answers");
    }
    String listField = listFields.get(0);
    if (!severalAnswers) {
      throw at.invalid(
          "targetTemplate",
          where + ": field '" + listField + "' is a list of answers, which only the metrics "
              + "exact_match and squad_f1 can score; name one item, e.g. {" + listField + ".0}");
    }
    List<String> answers = new ArrayList<>();
    for (String item : items(record.find(listField), listField, where)) {
      UnaryOperator<String> values =
          f -> f.equals(listField) ? item : scalar(record, f, "targetTemplate", where);
      answers.add(target.render(f -> label(values.apply(f), f, where)));
    }
    return new TextExample(in, answers.get(0), answers);
  }

  private JsonNode value(TaskRecord record, String field, String template, String where) {
    JsonNode value = record.find(field);
    if (value == null) {
      throw at.invalid(
          template,
          where + ": no field '" + field + "' in this record (its fields: "
              + String.join(", ", record.fieldNames()) + ")");
    }
    if (value.isObject()) {
      throw at.invalid(
          template,
          where + ": field '" + field + "' is an object; name one of its fields, as {" + field
              + ".name}");
    }
    return value;
  }

  private String scalar(TaskRecord record, String field, String template, String where) {
    JsonNode value = value(record, field, template, where);
    if (value.isArray()) {
      throw at.invalid(
          template,
          where + ": field '" + field + "' is a list; only targetTemplate may name a list (of "
              + "answers); name one item, as {" + field + ".0}");
    }
    return value.asText();
  }

  private List<String> items(JsonNode list, String field, String where) {
    List<String> items = new ArrayList<>();
    for (JsonNode item : list) {
      if (!item.isValueNode() || item.isNull()) {
        throw at.invalid(
            "targetTemplate", where + ": field '" + field + "' must list texts, found " + item);
      }
      items.add(item.asText());
    }
    // SQuAD 2.0 scores a question without answers against the empty answer.
    return items.isEmpty() ? List.of("") : items;
  }

  private String label(String raw, String field, String where) {
    if (labels.isEmpty()) {
      return raw;
    }
    String word = labels.get(raw);
    if (word == null) {
      throw at.invalid(
          "labels",
          where + ": value '" + raw + "' of field '" + field + "' is not one of the labels "
              + new TreeSet<>(labels.keySet()));
    }
    return word;
  }
}
