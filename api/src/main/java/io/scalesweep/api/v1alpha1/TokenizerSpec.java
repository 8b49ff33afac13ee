package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/** How text becomes token ids. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.type != 'huggingface' || has(self.path)", message = "path is required when type is huggingface", fieldPath = ".path")
public class TokenizerSpec {

  @JsonPropertyDescription(
      "bytes: a ByT5-style byte vocabulary (384 ids, no files needed); huggingface: a "
          + "tokenizer.json file.")
  @JsonProperty("type")
  @Default("bytes")
  private TokenizerType type;

  @JsonPropertyDescription("URI of the tokenizer.json file; required when type is huggingface.")
  @JsonProperty("path")
  private String path;

  public TokenizerType getType() {
    return type;
  }

  public void setType(TokenizerType type) {
    this.type = type;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

}
