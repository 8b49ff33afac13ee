package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/** A downstream task turned into text-to-text by templates. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TaskSpec {

  @JsonPropertyDescription("Task name, used in results (lower case, digits, '_', '-', '.').")
  @JsonProperty("name")
  @Required
  @Pattern("^[a-z0-9][a-z0-9_.-]{0,62}$")
  private String name;

  @JsonPropertyDescription("Training split.")
  @JsonProperty("train")
  @Required
  private SplitSpec train;

  @JsonPropertyDescription("Validation split; the task's score is measured on it.")
  @JsonProperty("validation")
  @Required
  private SplitSpec validation;

  @JsonPropertyDescription(
      "jsonl: one JSON object per line (SuperGLUE style); tsv: tab-separated with a header "
          + "row (GLUE style).")
  @JsonProperty("format")
  @Default("jsonl")
  private TaskFormat format;

  @JsonPropertyDescription("Template of the model input; {field} is replaced by the record's field.")
  @JsonProperty("inputTemplate")
  @Default("\"{input}\"")
  private String inputTemplate;

  @JsonPropertyDescription("Template of the expected output.")
  @JsonProperty("targetTemplate")
  @Default("\"{target}\"")
  private String targetTemplate;

  @JsonPropertyDescription("Maps raw label values to target words before templating (for example 1 -> True).")
  @JsonProperty("labels")
  private Map<String, String> labels;

  @JsonPropertyDescription(
      "A record field giving each example's difficulty (for example depth or hops): the score is"
          + " then also given per value of it.")
  @JsonProperty("difficultyField")
  @Pattern("^[A-Za-z0-9_.-]{1,64}$")
  private String difficultyField;

  @JsonPropertyDescription("accuracy, f1_macro, exact_match or squad_f1.")
  @JsonProperty("metric")
  @Required
  private Metric metric;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public SplitSpec getTrain() {
    return train;
  }

  public void setTrain(SplitSpec train) {
    this.train = train;
  }

  public SplitSpec getValidation() {
    return validation;
  }

  public void setValidation(SplitSpec validation) {
    this.validation = validation;
  }

  public TaskFormat getFormat() {
    return format;
  }

  public void setFormat(TaskFormat format) {
    this.format = format;
  }

  public String getInputTemplate() {
    return inputTemplate;
  }

  public void setInputTemplate(String inputTemplate) {
    this.inputTemplate = inputTemplate;
  }

  public String getTargetTemplate() {
    return targetTemplate;
  }

  public void setTargetTemplate(String targetTemplate) {
    this.targetTemplate = targetTemplate;
  }

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  public Metric getMetric() {
    return metric;
  }

  public void setMetric(Metric metric) {
    this.metric = metric;
  }

  public String getDifficultyField() {
    return difficultyField;
  }

  public void setDifficultyField(String difficultyField) {
    this.difficultyField = difficultyField;
  }
}
