package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Observed state of a ScalingSweep. Bounded in size whatever the number of trials. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(value = ConditionsSchema.class, input = "conditions")
public class ScalingSweepStatus {

  @JsonPropertyDescription("Generation of the spec this status describes.")
  @JsonProperty("observedGeneration")
  private Long observedGeneration;

  @JsonPropertyDescription("Standard conditions: Ready, Progressing, Suspended, Failed, InvalidSpec.")
  @JsonProperty("conditions")
  private List<Condition> conditions;

  @JsonPropertyDescription("Trials by phase.")
  @JsonProperty("trials")
  private TrialCounts trials;

  @JsonPropertyDescription("Best trial so far.")
  @JsonProperty("best")
  private BestTrial best;

  @JsonPropertyDescription("Finished trials, best first, at most 100 rows (the catalog has them all).")
  @JsonProperty("results")
  private List<TrialSummary> results;

  @JsonPropertyDescription("True when results omits trials.")
  @JsonProperty("resultsTruncated")
  private Boolean resultsTruncated;

  @JsonPropertyDescription("Pareto frontier per quality and cost axis.")
  @JsonProperty("pareto")
  private List<ParetoSet> pareto;

  @JsonPropertyDescription("Power-law fits of error against parameters.")
  @JsonProperty("fits")
  private List<PowerLawFitStatus> fits;

  @JsonPropertyDescription("URI of catalog.json with every trial.")
  @JsonProperty("catalogUri")
  private String catalogUri;

  @JsonPropertyDescription(
      "Seconds until every trial is done, estimated from the running trials' progress and the "
          + "wall time of finished ones; absent until there is enough to estimate from.")
  @JsonProperty("etaSeconds")
  private Long etaSeconds;

  public Long getEtaSeconds() {
    return etaSeconds;
  }

  public void setEtaSeconds(Long etaSeconds) {
    this.etaSeconds = etaSeconds;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public TrialCounts getTrials() {
    return trials;
  }

  public void setTrials(TrialCounts trials) {
    this.trials = trials;
  }

  public BestTrial getBest() {
    return best;
  }

  public void setBest(BestTrial best) {
    this.best = best;
  }

  public List<TrialSummary> getResults() {
    return results;
  }

  public void setResults(List<TrialSummary> results) {
    this.results = results;
  }

  public Boolean getResultsTruncated() {
    return resultsTruncated;
  }

  public void setResultsTruncated(Boolean resultsTruncated) {
    this.resultsTruncated = resultsTruncated;
  }

  public List<ParetoSet> getPareto() {
    return pareto;
  }

  public void setPareto(List<ParetoSet> pareto) {
    this.pareto = pareto;
  }

  public List<PowerLawFitStatus> getFits() {
    return fits;
  }

  public void setFits(List<PowerLawFitStatus> fits) {
    this.fits = fits;
  }

  public String getCatalogUri() {
    return catalogUri;
  }

  public void setCatalogUri(String catalogUri) {
    this.catalogUri = catalogUri;
  }

}
