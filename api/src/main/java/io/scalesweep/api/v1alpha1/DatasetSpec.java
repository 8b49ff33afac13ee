package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A text corpus: plain text (one document per line or blank-line separated) or JSONL, optionally
 * gzip-compressed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatasetSpec {

  @JsonPropertyDescription(
      "Where the corpus lives: s3://bucket/key, file:///path or a path relative to the "
          + "manifest. A trailing * matches every object with that prefix.")
  @JsonProperty("uri")
  @Required
  @Size(min = 1, max = 2048)
  private String uri;

  @JsonPropertyDescription("Field holding the text in JSONL records.")
  @JsonProperty("textField")
  @Default("text")
  private String textField;

  @JsonPropertyDescription("File format; auto decides by the name (.jsonl, .json, .txt, with or without .gz).")
  @JsonProperty("format")
  @Default("auto")
  private DataFormat format;

  public String getUri() {
    return uri;
  }

  public void setUri(String uri) {
    this.uri = uri;
  }

  public String getTextField() {
    return textField;
  }

  public void setTextField(String textField) {
    this.textField = textField;
  }

  public DataFormat getFormat() {
    return format;
  }

  public void setFormat(DataFormat format) {
    this.format = format;
  }

}
