package io.scalesweep.operator.storage;

import io.scalesweep.api.catalog.CatalogEntry;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.cost.ParamCounter;
import io.scalesweep.api.cost.StepCost;
import io.scalesweep.api.shape.Shape;
import io.scalesweep.api.shape.TrialSpecs;
import io.scalesweep.api.v1alpha1.PretrainSpec;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.api.v1alpha1.TrialResult;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The catalog entries of a sweep's TrainingJobs, in expansion order, without Pareto marks or
 * checkpoint URIs (those come from {@code SweepCatalog.of} and from pruning). A pure function.
 */
public final class CatalogEntries {

  private CatalogEntries() {}

  /**
   * @param root the storage root ({@code spec.storage.uri})
   * @param sweep the sweep's name
   * @param order trial names in expansion order; others follow by name
   */
  public static List<CatalogEntry> of(String root, String sweep, List<String> order, Collection<TrainingJob> trainingJobs) {
    Map<String, Integer> index = IntStream.range(0, order.size()).boxed()
        .collect(Collectors.toMap(order::get, Function.identity(), (a, b) -> a));
    Comparator<TrainingJob> byOrder = Comparator
        .comparing((TrainingJob tj) -> index.getOrDefault(tj.getMetadata().getName(), Integer.MAX_VALUE))
        .thenComparing(tj -> tj.getMetadata().getName());
    return trainingJobs.stream().sorted(byOrder).map(tj -> entry(root, sweep, tj)).toList();
  }

  static CatalogEntry entry(String root, String sweep, TrainingJob tj) {
    String name = tj.getMetadata().getName();
    TrialPhase phase = tj.getStatus() == null || tj.getStatus().getPhase() == null ? TrialPhase.Pending : tj.getStatus().getPhase();
    TrialResult result = phase == TrialPhase.Succeeded ? tj.getStatus().getResult() : null;
    Shape shape = shape(tj);
    long params = result != null && result.getParams() != null ? result.getParams() : shape == null ? 0 : ParamCounter.count(shape);
    long flops = result != null && result.getFlops() != null ? result.getFlops() : flopsPerStep(shape, tj.getSpec().getPretrain());
    String resultUri = phase == TrialPhase.Succeeded
        ? StorageLayout.trialUri(root, tj.getMetadata().getNamespace(), sweep, name) + StorageLayout.RESULT_FILE
        : null;
    return new CatalogEntry(name, tj.getSpec().getCode(), shape, phase, params, flops, result, resultUri, null, null);
  }

  /** Null when the TrainingJob's shape is invalid: the catalog lists the trial all the same. */
  private static Shape shape(TrainingJob tj) {
    try {
      return TrialSpecs.toShape(tj.getSpec().getShape(), "spec.shape");
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The recipe's FLOPs per step, as the trainer counts them; 0 when the recipe is incomplete. */
  private static long flopsPerStep(Shape shape, PretrainSpec spec) {
    if (shape == null) {
      return 0;
    }
    try {
      return StepCost.of(spec).flops(shape);
    } catch (RuntimeException e) {
      return 0;
    }
  }
}
