package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How examples of several tasks are mixed. */
public enum Mixing {
  @JsonProperty("examples")
  EXAMPLES,
  @JsonProperty("temperature")
  TEMPERATURE;
}
