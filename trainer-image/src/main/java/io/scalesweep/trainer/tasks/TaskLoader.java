package io.scalesweep.trainer.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.manifest.SchemaRules;
import io.scalesweep.api.v1alpha1.FinetuneSpec;
import io.scalesweep.api.v1alpha1.Metric;
import io.scalesweep.api.v1alpha1.TaskSpec;
import io.scalesweep.trainer.data.CorpusStore;
import io.scalesweep.trainer.data.DataException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads every task of a fine-tuning recipe into examples and checks it whole before the first
 * step, so a typo in the last task's template fails in seconds rather than after pretraining.
 * Every error is an {@link InvalidSpecException} naming the task and the field to fix, such as
 * {@code spec.finetune.tasks[1].inputTemplate}, and the file and line when a record is at fault.
 */
public final class TaskLoader {

  private static final String PATH = "spec.finetune";

  private final CorpusStore store;

  public TaskLoader(CorpusStore store) {
    this.store = store;
  }

  /** The tasks in spec order. Fills in the schema's defaults of {@code finetune} as it goes. */
  public List<Task> load(FinetuneSpec finetune) {
    List<TaskSpec> specs = finetune.getTasks() == null ? List.of() : finetune.getTasks();
    List<TaskLocation> locations = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      locations.add(checkSpec(specs.get(i), PATH + ".tasks[" + i + "]"));
    }
    SchemaRules.applyDefaultsAndValidate(finetune, PATH);
    Map<String, TaskLocation> byName = new HashMap<>();
    for (TaskLocation at : locations) {
      TaskLocation first = byName.putIfAbsent(at.task(), at);
      if (first != null) {
        throw at.invalid(
            "name", "another task has this name (" + first.path() + "); results are kept by name");
      }
    }
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      tasks.add(load(specs.get(i), locations.get(i)));
    }
    return tasks;
  }

  private static TaskLocation checkSpec(TaskSpec spec, String path) {
    TaskLocation at = new TaskLocation(spec.getName() == null ? "(unnamed)" : spec.getName(), path);
    try {
      SchemaRules.applyDefaultsAndValidate(spec, path);
    } catch (InvalidSpecException e) {
      throw at.named(e);
    }
    return at;
  }

  private Task load(TaskSpec spec, TaskLocation at) {
    TextTemplate input = template(spec.getInputTemplate(), "inputTemplate", at);
    TextTemplate target = template(spec.getTargetTemplate(), "targetTemplate", at);
    boolean severalAnswers =
        spec.getMetric() == Metric.EXACT_MATCH || spec.getMetric() == Metric.SQUAD_F1;
    ExampleRenderer renderer =
        new ExampleRenderer(input, target, spec.getLabels(), severalAnswers, at);
    List<TextExample> train = read(spec.getTrain().getUri(), "train", spec, renderer, at, null);
    List<String> difficulties = new ArrayList<>();
    List<TextExample> validation =
        read(spec.getValidation().getUri(), "validation", spec, renderer, at, difficulties);
    return new Task(spec.getName(), spec.getMetric(), train, validation, difficulties);
  }

  /** The record's value of the task's difficulty field, which every validation record needs. */
  private static String difficulty(TaskRecord record, String field, TaskLocation at) {
    JsonNode value = record.find(field);
    if (value == null || !value.isValueNode() || value.isNull()) {
      throw at.invalid(
          "difficultyField",
          "validation file " + record.where() + ": "
              + (value == null ? "no field '" + field + "' in this record (its fields: "
                  + String.join(", ", record.fieldNames()) + ")"
                  : "field '" + field + "' is " + value + ", not a number or text"));
    }
    return value.asText();
  }

  private static TextTemplate template(String text, String field, TaskLocation at) {
    TextTemplate template;
    try {
      template = TextTemplate.parse(text);
    } catch (IllegalArgumentException e) {
      throw at.invalid(field, "'" + text + "': " + e.getMessage());
    }
    if (template.fields().isEmpty()) {
      throw at.invalid(
          field, "'" + text + "' names no {field}, so every example would be the same text");
    }
    return template;
  }

  /** @param difficulties where each record's difficulty goes, or null not to read it */
  private List<TextExample> read(
      String uri,
      String split,
      TaskSpec spec,
      ExampleRenderer renderer,
      TaskLocation at,
      List<String> difficulties) {
    String field = split + ".uri";
    List<TextExample> examples = new ArrayList<>();
    try {
      for (String file : store.list(uri)) {
        try (InputStream raw = store.open(file);
            RecordReader records = new RecordReader(file, raw, spec.getFormat())) {
          for (TaskRecord r = records.next(); r != null; r = records.next()) {
            examples.add(renderer.render(r, split));
            if (difficulties != null && spec.getDifficultyField() != null) {
              difficulties.add(difficulty(r, spec.getDifficultyField(), at));
            }
          }
        } catch (IOException e) {
          throw new DataException(file + " cannot be read: " + e.getMessage(), e);
        }
      }
    } catch (DataException e) {
      throw at.invalid(field, e.getMessage());
    }
    if (examples.isEmpty()) {
      throw at.invalid(field, "the " + split + " split " + uri + " has no records");
    }
    return examples;
  }
}
