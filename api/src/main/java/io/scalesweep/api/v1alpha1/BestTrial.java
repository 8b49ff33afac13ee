package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The best trial so far. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BestTrial {

  @JsonPropertyDescription("Shape in the paper's notation.")
  @JsonProperty("code")
  private String code;

  @JsonPropertyDescription("downstream (average score) when fine-tuned, else upstream.")
  @JsonProperty("metric")
  private String metric;

  @JsonPropertyDescription("The metric's value.")
  @JsonProperty("value")
  private Double value;

  public String getCode() {
    return code;
  }

  public void setCode(String code) {
    this.code = code;
  }

  public String getMetric() {
    return metric;
  }

  public void setMetric(String metric) {
    this.metric = metric;
  }

  public Double getValue() {
    return value;
  }

  public void setValue(Double value) {
    this.value = value;
  }

}
