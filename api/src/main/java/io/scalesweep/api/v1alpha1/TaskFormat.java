package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** File format of a downstream task's splits. */
public enum TaskFormat {
  @JsonProperty("jsonl")
  JSONL,
  @JsonProperty("tsv")
  TSV;
}
