package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * A sweep's resources: the default every trial gets, plus rules that size a trial by its cost. A
 * TrainingJob carries the plain {@link ResourcesSpec} its rule resolved to, so the rules are not
 * part of its schema.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SweepResourcesSpec extends ResourcesSpec {

  /** Most rules: a handful of GPU tiers; the bound keeps the CEL rules within their cost budget. */
  public static final int MAX_RULES = 16;

  @JsonPropertyDescription(
      "Resources by trial size, first match wins: each rule bounds parameters (maxParams) or FLOPs per step "
          + "(maxFlopsPerStep), all rules the same measure, bounds strictly increasing. A trial above every "
          + "bound gets the plain resources above. Fixed once the sweep exists, like the rest of resources.")
  @JsonProperty("byShape")
  @Size(max = MAX_RULES)
  @ValidationRule(value = "self.all(r, has(r.maxParams)) || self.all(r, has(r.maxFlopsPerStep))", message = "bound every rule by the same measure: all maxParams or all maxFlopsPerStep")
  @ValidationRule(value = "!self.all(r, has(r.maxParams)) || self.all(a, self.exists_one(b, b.maxParams == a.maxParams)) && self.map(r, r.maxParams).isSorted()", message = "maxParams must strictly increase from rule to rule (first match wins, so a rule after a larger or equal bound would never match)")
  @ValidationRule(value = "!self.all(r, has(r.maxFlopsPerStep)) || self.all(a, self.exists_one(b, b.maxFlopsPerStep == a.maxFlopsPerStep)) && self.map(r, r.maxFlopsPerStep).isSorted()", message = "maxFlopsPerStep must strictly increase from rule to rule (first match wins, so a rule after a larger or equal bound would never match)")
  private List<ShapeResourceRule> byShape;

  @JsonPropertyDescription(
      "Training tokens per second of one GPU for trials no rule matches (or whose rule gives none), for "
          + "scalesweep plan's GPU-hours estimate. Not used by the operator.")
  @JsonProperty("tokensPerSecondPerGpu")
  @Min(value = 0, inclusive = false)
  private Double tokensPerSecondPerGpu;

  public List<ShapeResourceRule> getByShape() {
    return byShape;
  }

  public void setByShape(List<ShapeResourceRule> byShape) {
    this.byShape = byShape;
  }

  public Double getTokensPerSecondPerGpu() {
    return tokensPerSecondPerGpu;
  }

  public void setTokensPerSecondPerGpu(Double tokensPerSecondPerGpu) {
    this.tokensPerSecondPerGpu = tokensPerSecondPerGpu;
  }
}
