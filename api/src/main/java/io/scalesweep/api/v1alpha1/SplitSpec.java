package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One split of a downstream task. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SplitSpec {

  @JsonPropertyDescription("Where the split lives: s3://, file:// or a path relative to the manifest.")
  @JsonProperty("uri")
  @Required
  @Size(min = 1, max = 2048)
  private String uri;

  public String getUri() {
    return uri;
  }

  public void setUri(String uri) {
    this.uri = uri;
  }

}
