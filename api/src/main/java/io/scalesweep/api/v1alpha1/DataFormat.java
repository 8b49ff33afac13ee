package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** File format of a corpus. */
public enum DataFormat {
  @JsonProperty("auto")
  AUTO,
  @JsonProperty("text")
  TEXT,
  @JsonProperty("jsonl")
  JSONL;
}
