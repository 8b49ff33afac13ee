package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Score of a downstream task. */
public enum Metric {
  @JsonProperty("accuracy")
  ACCURACY,
  @JsonProperty("f1_macro")
  F1_MACRO,
  @JsonProperty("exact_match")
  EXACT_MATCH,
  @JsonProperty("squad_f1")
  SQUAD_F1;
}
