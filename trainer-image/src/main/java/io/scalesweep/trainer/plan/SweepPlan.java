package io.scalesweep.trainer.plan;

import io.scalesweep.api.cost.FlopCounter;
import io.scalesweep.api.cost.ParamCounter;
import io.scalesweep.api.recipe.SpanLengths;
import io.scalesweep.api.shape.SweepExpander;
import io.scalesweep.api.shape.Trial;
import io.scalesweep.api.v1alpha1.PretrainSpec;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import java.util.List;

/**
 * A sweep's trials with their price: exact parameters and training FLOPs per optimizer step.
 *
 * @param sweep the sweep's name
 * @param lengths the encoder/decoder lengths the FLOPs are computed for
 * @param batchSize sequences per optimizer step
 * @param steps pretraining steps, for the sweep's total compute
 * @param rows one row per trial, in expansion order
 */
public record SweepPlan(String sweep, SpanLengths lengths, int batchSize, long steps, List<Row> rows) {

  /** One planned trial. */
  public record Row(Trial trial, long params, long flopsPerStep) {}

  public static SweepPlan of(ScalingSweep sweep) {
    String name = sweep.getMetadata() == null || sweep.getMetadata().getName() == null
        ? "sweep"
        : sweep.getMetadata().getName();
    PretrainSpec pretrain = sweep.getSpec().getPretrain();
    SpanLengths lengths = lengths(pretrain);
    List<Row> rows =
        SweepExpander.expand(name, sweep.getSpec()).stream()
            .map(t -> new Row(
                t,
                ParamCounter.count(t.shape()),
                FlopCounter.trainingFlopsPerStep(t.shape(), pretrain.getBatchSize(), lengths.inputLength(), lengths.targetLength())))
            .toList();
    return new SweepPlan(name, lengths, pretrain.getBatchSize(), pretrain.getSteps(), rows);
  }

  /** The recipe's lengths: an explicit targetLength wins over T5's derivation. */
  static SpanLengths lengths(PretrainSpec p) {
    SpanLengths derived = SpanLengths.forInputLength(p.getInputLength(), p.getNoiseDensity(), p.getMeanNoiseSpanLength());
    return p.getTargetLength() == null
        ? derived
        : new SpanLengths(p.getInputLength(), derived.rawLength(), p.getTargetLength(), derived.noiseSpans());
  }

  public long totalParams() {
    return rows.stream().mapToLong(Row::params).sum();
  }

  /** Pretraining compute of the whole sweep: FLOPs per step times steps, summed over trials. */
  public double totalPretrainFlops() {
    return rows.stream().mapToDouble(r -> (double) r.flopsPerStep() * steps).sum();
  }
}
