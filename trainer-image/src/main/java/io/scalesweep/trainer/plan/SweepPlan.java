package io.scalesweep.trainer.plan;

import io.scalesweep.api.catalog.CatalogEntry;
import io.scalesweep.api.catalog.SweepCatalog;
import io.scalesweep.api.cost.ParamCounter;
import io.scalesweep.api.cost.StepCost;
import io.scalesweep.api.recipe.SpanLengths;
import io.scalesweep.api.resources.TrialResources;
import io.scalesweep.api.shape.Shape;
import io.scalesweep.api.shape.SweepExpander;
import io.scalesweep.api.shape.Trial;
import io.scalesweep.api.v1alpha1.PretrainSpec;
import io.scalesweep.api.v1alpha1.ResourcesSpec;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.ShapeResourceRule;
import io.scalesweep.api.v1alpha1.SweepResourcesSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A sweep's trials with their price: exact parameters, training FLOPs per optimizer step, the GPUs
 * each gets and the GPU-hours its pretraining takes.
 *
 * @param sweep the sweep's name
 * @param lengths the encoder/decoder lengths the FLOPs are computed for
 * @param batchSize sequences per optimizer step
 * @param steps pretraining steps, for the sweep's total compute
 * @param tokensPerStep encoder plus decoder tokens of one step
 * @param rows one row per trial, in expansion order
 */
public record SweepPlan(String sweep, SpanLengths lengths, int batchSize, long steps, long tokensPerStep, List<Row> rows) {

  /**
   * One planned trial.
   *
   * @param rule the index of its {@code resources.byShape} rule; -1 for the sweep's plain resources
   */
  public record Row(Trial trial, long params, long flopsPerStep, int gpus, int rule, GpuHours gpuHours) {}

  public static SweepPlan of(ScalingSweep sweep) {
    return of(sweep, null);
  }

  /**
   * @param measured a catalog of an earlier run whose throughputs replace the manifest's figures
   *     for the shapes it trained, or null
   */
  public static SweepPlan of(ScalingSweep sweep, SweepCatalog measured) {
    String name = sweep.getMetadata() == null || sweep.getMetadata().getName() == null
        ? "sweep"
        : sweep.getMetadata().getName();
    PretrainSpec pretrain = sweep.getSpec().getPretrain();
    StepCost step = StepCost.of(pretrain);
    long tokens = (long) pretrain.getSteps() * step.tokens();
    SweepResourcesSpec resources = sweep.getSpec().getResources();
    Map<Shape, Double> throughput = throughputs(measured);
    List<Row> rows =
        SweepExpander.expand(name, sweep.getSpec()).stream()
            .map(t -> {
              TrialResources.Resolved resolved = TrialResources.resolve(resources, pretrain, t.shape());
              int gpus = gpus(resolved.resources());
              ShapeResourceRule rule = resolved.rule() < 0 ? null : resources.getByShape().get(resolved.rule());
              return new Row(t, ParamCounter.count(t.shape()), step.flops(t.shape()), gpus, resolved.rule(),
                  GpuHours.of(tokens, gpus, rule, resources, throughput.get(t.shape())));
            })
            .toList();
    return new SweepPlan(name, step.lengths(), step.batchSize(), pretrain.getSteps(), step.tokens(), rows);
  }

  /** Trials without resources get the schema's one GPU, as in the cluster. */
  private static int gpus(ResourcesSpec r) {
    return r == null || r.getGpus() == null ? 1 : r.getGpus();
  }

  /** Measured whole-trial tokens/s by shape; the first trial of a shape that has one. */
  private static Map<Shape, Double> throughputs(SweepCatalog catalog) {
    Map<Shape, Double> byShape = new HashMap<>();
    if (catalog != null && catalog.trials() != null) {
      for (CatalogEntry e : catalog.trials()) {
        if (e.shape() != null && e.result() != null && e.result().getTokensPerSecond() != null) {
          byShape.putIfAbsent(e.shape(), e.result().getTokensPerSecond());
        }
      }
    }
    return byShape;
  }

  public long totalParams() {
    return rows.stream().mapToLong(Row::params).sum();
  }

  /** Pretraining compute of the whole sweep: FLOPs per step times steps, summed over trials. */
  public double totalPretrainFlops() {
    return rows.stream().mapToDouble(r -> (double) r.flopsPerStep() * steps).sum();
  }

  /** GPU-hours of the trials with a throughput figure; see {@link #trialsWithoutEstimate}. */
  public double totalGpuHours() {
    return rows.stream().map(r -> r.gpuHours().hours()).filter(Objects::nonNull).mapToDouble(Double::doubleValue).sum();
  }

  /** Trials on GPUs for which neither the manifest nor a catalog gives a throughput. */
  public long trialsWithoutEstimate() {
    return rows.stream().filter(r -> r.gpuHours().source() == GpuHours.Source.NONE).count();
  }
}
