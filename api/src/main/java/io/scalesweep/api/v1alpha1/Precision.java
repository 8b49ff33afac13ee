package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Number format of training's arithmetic. The weights and the optimizer state are fp32 in both;
 * only where the forward pass computes its matrix products differs.
 */
public enum Precision {
  /** Everything in fp32 (TF32 matrix products on GPUs whose image allows it). */
  @JsonProperty("fp32")
  FP32,
  /**
   * Matrix products (attention projections, feed-forward, logits) in fp16; norms, softmax and the
   * loss in fp32; fp32 master weights and dynamic loss scaling.
   */
  @JsonProperty("mixed-fp16")
  MIXED_FP16;

  /** The spelling of the manifest and the command line. */
  public String spelling() {
    return this == FP32 ? "fp32" : "mixed-fp16";
  }

  /** The precision spelled {@code spelling} on a command line, if any. */
  public static Optional<Precision> ofSpelling(String spelling) {
    return Arrays.stream(values()).filter(p -> p.spelling().equals(spelling)).findFirst();
  }

  /** Every spelling, for an error message: {@code fp32 or mixed-fp16}. */
  public static String spellings() {
    return Arrays.stream(values()).map(Precision::spelling).collect(Collectors.joining(" or "));
  }
}
