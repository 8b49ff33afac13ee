package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Kind of tokenizer. */
public enum TokenizerType {
  @JsonProperty("bytes")
  BYTES,
  @JsonProperty("huggingface")
  HUGGINGFACE;
}
