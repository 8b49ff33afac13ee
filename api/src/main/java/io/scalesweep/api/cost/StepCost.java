package io.scalesweep.api.cost;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.scalesweep.api.manifest.SchemaRules;
import io.scalesweep.api.recipe.SpanLengths;
import io.scalesweep.api.shape.Shape;
import io.scalesweep.api.v1alpha1.PretrainSpec;

/**
 * What one optimizer step of a pretraining recipe costs: the tokens it reads and, for a shape, its
 * training FLOPs. The planner, the operator's resource rules and its catalog must agree on these.
 *
 * @param lengths encoder and decoder lengths of one example
 * @param batchSize examples per optimizer step
 */
public record StepCost(SpanLengths lengths, int batchSize) {

  private static final ObjectMapper COPY = new ObjectMapper();

  /** The recipe's step, with its schema defaults filled in (a hand-built spec may lack them). */
  public static StepCost of(PretrainSpec pretrain) {
    PretrainSpec p = COPY.convertValue(pretrain == null ? new PretrainSpec() : pretrain, PretrainSpec.class);
    SchemaRules.applyDefaults(p);
    SpanLengths derived = SpanLengths.forInputLength(p.getInputLength(), p.getNoiseDensity(), p.getMeanNoiseSpanLength());
    // An explicit targetLength wins over T5's derivation.
    SpanLengths lengths = p.getTargetLength() == null
        ? derived
        : new SpanLengths(p.getInputLength(), derived.rawLength(), p.getTargetLength(), derived.noiseSpans());
    return new StepCost(lengths, p.getBatchSize());
  }

  /** Encoder plus decoder tokens of one step, the unit the trainer's tokens/s counts. */
  public long tokens() {
    return (long) batchSize * (lengths.inputLength() + lengths.targetLength());
  }

  public long flops(Shape shape) {
    return FlopCounter.trainingFlopsPerStep(shape, batchSize, lengths.inputLength(), lengths.targetLength());
  }
}
