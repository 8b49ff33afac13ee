package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A fitted power law e = nc * N^alpha + eInf of error against parameters (paper Appendix A).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PowerLawFitStatus {

  // Accessors of names like dFF carry @JsonProperty too: Jackson would otherwise derive a second
  // property (dff) from getDFF(), and the schema would accept both spellings.

  @JsonPropertyDescription("upstream (e = loss) or downstream (e = 1 - score/100).")
  @JsonProperty("quality")
  private String quality;

  @JsonPropertyDescription("Scale constant N_c.")
  @JsonProperty("nc")
  private Double nc;

  @JsonPropertyDescription("Exponent (negative when error falls with size).")
  @JsonProperty("alpha")
  private Double alpha;

  @JsonPropertyDescription("Irreducible error.")
  @JsonProperty("eInf")
  private Double eInf;

  @JsonPropertyDescription("Root-mean-square error of the fit.")
  @JsonProperty("rmse")
  private Double rmse;

  @JsonPropertyDescription("Trials the fit used.")
  @JsonProperty("points")
  private Integer points;

  public String getQuality() {
    return quality;
  }

  public void setQuality(String quality) {
    this.quality = quality;
  }

  public Double getNc() {
    return nc;
  }

  public void setNc(Double nc) {
    this.nc = nc;
  }

  public Double getAlpha() {
    return alpha;
  }

  public void setAlpha(Double alpha) {
    this.alpha = alpha;
  }

  @JsonProperty("eInf")
  public Double getEInf() {
    return eInf;
  }

  @JsonProperty("eInf")
  public void setEInf(Double eInf) {
    this.eInf = eInf;
  }

  public Double getRmse() {
    return rmse;
  }

  public void setRmse(Double rmse) {
    this.rmse = rmse;
  }

  public Integer getPoints() {
    return points;
  }

  public void setPoints(Integer points) {
    this.points = points;
  }

}
