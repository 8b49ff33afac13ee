package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Optimizer of the pretraining recipe. */
public enum Optimizer {
  @JsonProperty("adafactor")
  ADAFACTOR,
  @JsonProperty("adamw")
  ADAMW;
}
