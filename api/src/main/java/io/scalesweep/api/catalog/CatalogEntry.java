package io.scalesweep.api.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.scalesweep.api.shape.Shape;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.api.v1alpha1.TrialResult;
import java.util.List;

/**
 * One trial in a sweep's catalog: its shape and price, what it measured, where its files are, and
 * which Pareto frontiers it is on.
 *
 * @param name the trial's (TrainingJob's) name
 * @param code the shape in the paper's notation
 * @param shape the resolved shape
 * @param phase the trial's phase when the catalog was written
 * @param params exact trainable parameters
 * @param flops training FLOPs per optimizer step
 * @param result what the trial measured; null until it succeeded
 * @param resultUri where result.json is
 * @param checkpointUri the final checkpoint, if kept
 * @param pareto the frontiers the trial is on, as {@code quality/cost} (e.g. {@code
 *     upstream/params})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CatalogEntry(
    String name,
    String code,
    Shape shape,
    TrialPhase phase,
    long params,
    long flops,
    TrialResult result,
    String resultUri,
    String checkpointUri,
    List<String> pareto) {

  public CatalogEntry withPareto(List<String> frontiers) {
    return new CatalogEntry(name, code, shape, phase, params, flops, result, resultUri, checkpointUri, frontiers);
  }

  public CatalogEntry withCheckpointUri(String uri) {
    return new CatalogEntry(name, code, shape, phase, params, flops, result, resultUri, uri, pareto);
  }
}
