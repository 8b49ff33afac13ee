package io.scalesweep.api.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.scalesweep.api.analysis.SweepAnalysis;
import io.scalesweep.api.analysis.TrialOutcome;
import io.scalesweep.api.v1alpha1.ParetoSet;
import io.scalesweep.api.v1alpha1.PowerLawFitStatus;
import io.scalesweep.api.v1alpha1.TrialResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code <storage>/<namespace>/<sweep>/catalog.json}: every trial of a sweep with its results, URIs and Pareto
 * membership, plus the frontiers and power-law fits. Written by the operator (and by {@code
 * scalesweep run}), read by {@code scalesweep report} and by people.
 *
 * @param sweep the sweep's name
 * @param updated when it was written (RFC 3339)
 * @param trials every trial, in expansion order
 * @param pareto frontier per quality and cost axis
 * @param fits power-law fits of error against parameters
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SweepCatalog(
    String sweep, String updated, List<CatalogEntry> trials, List<ParetoSet> pareto, List<PowerLawFitStatus> fits) {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Builds a catalog from its entries: analyses the finished ones and marks Pareto membership. */
  public static SweepCatalog of(String sweep, String updated, List<CatalogEntry> entries) {
    List<TrialOutcome> outcomes = entries.stream().filter(e -> e.result() != null).map(SweepCatalog::outcome).toList();
    List<ParetoSet> pareto = SweepAnalysis.paretoSets(outcomes);
    List<CatalogEntry> marked = new ArrayList<>();
    for (CatalogEntry e : entries) {
      List<String> on = pareto.stream().filter(s -> s.getCodes().contains(e.code())).map(s -> s.getQuality() + "/" + s.getCost()).toList();
      marked.add(e.withPareto(on));
    }
    return new SweepCatalog(sweep, updated, marked, pareto, SweepAnalysis.fits(outcomes));
  }

  public static TrialOutcome outcome(CatalogEntry e) {
    TrialResult r = e.result();
    return new TrialOutcome(e.code(), e.params(), e.flops(), r.getTokensPerSecond(), r.getNegLogPerplexity(), r.getDownstreamAverage());
  }

  public byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static SweepCatalog fromJson(byte[] json) {
    try {
      return JSON.readValue(json, SweepCatalog.class);
    } catch (IOException e) {
      throw new UncheckedIOException("not a sweep catalog: " + e.getMessage(), e);
    }
  }
}
