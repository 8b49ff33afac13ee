package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which checkpoints survive once trials are done. */
public enum KeepCheckpoints {
  @JsonProperty("all")
  ALL,
  @JsonProperty("final")
  FINAL,
  @JsonProperty("pareto")
  PARETO;
}
