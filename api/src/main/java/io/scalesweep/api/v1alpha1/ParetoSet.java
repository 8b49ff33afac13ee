package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Trials on the Pareto frontier of one quality against one cost. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ParetoSet {

  @JsonPropertyDescription("upstream (negative log-perplexity) or downstream (average score).")
  @JsonProperty("quality")
  private String quality;

  @JsonPropertyDescription("params, flops or throughput (inverse tokens per second).")
  @JsonProperty("cost")
  private String cost;

  @JsonPropertyDescription("Codes of the frontier's trials, cheapest first.")
  @JsonProperty("codes")
  private List<String> codes;

  public String getQuality() {
    return quality;
  }

  public void setQuality(String quality) {
    this.quality = quality;
  }

  public String getCost() {
    return cost;
  }

  public void setCost(String cost) {
    this.cost = cost;
  }

  public List<String> getCodes() {
    return codes;
  }

  public void setCodes(List<String> codes) {
    this.codes = codes;
  }

}
