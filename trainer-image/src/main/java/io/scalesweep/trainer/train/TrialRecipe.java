package io.scalesweep.trainer.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.cost.FlopCounter;
import io.scalesweep.api.cost.ParamCounter;
import io.scalesweep.api.recipe.SpanLengths;
import io.scalesweep.api.shape.Shape;
import io.scalesweep.api.shape.ShapeException;
import io.scalesweep.api.v1alpha1.Precision;
import io.scalesweep.api.v1alpha1.PretrainSpec;
import io.scalesweep.api.v1alpha1.ShapeSpec;
import io.scalesweep.api.v1alpha1.TrainingJobSpec;
import io.scalesweep.trainer.data.PipelineConfig;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The numbers one trial trains with, checked and derived once from its (schema-defaulted)
 * TrainingJob spec. Every rule the schema cannot express is checked here and reported with the
 * manifest path of the field at fault.
 *
 * @param microBatch sequences per forward/backward pass: batchSize / gradientAccumulation
 */
public record TrialRecipe(
    String code,
    Shape shape,
    PretrainSpec pretrain,
    SpanLengths lengths,
    int batchSize,
    int accumulation,
    int microBatch,
    long steps,
    int checkpointEvery,
    int evalBatches,
    long seed,
    double maxGradNorm) {

  private static final String SHAPE = "spec.shape";
  private static final String PRETRAIN = "spec.pretrain";

  /**
   * @param spec a spec read by {@code ManifestReader}, so schema defaults are filled in
   * @throws InvalidSpecException naming the field
   */
  public static TrialRecipe of(TrainingJobSpec spec) {
    Shape shape = shape(spec.getShape());
    PretrainSpec p = spec.getPretrain();
    if (p == null) {
      throw new InvalidSpecException(PRETRAIN, PRETRAIN + " is required");
    }
    int batch = p.getBatchSize();
    int accumulation = p.getGradientAccumulation();
    if (batch % accumulation != 0) {
      throw new InvalidSpecException(
          PRETRAIN + ".gradientAccumulation",
          PRETRAIN
              + ".gradientAccumulation "
              + accumulation
              + " must divide "
              + PRETRAIN
              + ".batchSize "
              + batch);
    }
    SpanLengths lengths;
    try {
      lengths = PipelineConfig.from(p).lengths();
    } catch (IllegalArgumentException e) {
      String field =
          p.getTargetLength() != null && e.getMessage().contains("targetLength")
              ? ".targetLength"
              : ".inputLength";
      throw new InvalidSpecException(PRETRAIN + field, PRETRAIN + field + ": " + e.getMessage());
    }
    return new TrialRecipe(
        spec.getCode(),
        shape,
        p,
        lengths,
        batch,
        accumulation,
        batch / accumulation,
        p.getSteps(),
        p.getCheckpointEvery(),
        p.getEvalBatches(),
        p.getSeed(),
        p.getMaxGradNorm());
  }

  /** The resolved shape; a TrainingJob must give every field (kvHeads and tiedKV default). */
  static Shape shape(ShapeSpec s) {
    if (s == null) {
      throw new InvalidSpecException(
          SHAPE, SHAPE + " is required: a TrainingJob carries a resolved shape");
    }
    try {
      int heads = required(s.getNumHeads(), "numHeads");
      return new Shape(
          required(s.getEncoderLayers(), "encoderLayers"),
          required(s.getDecoderLayers(), "decoderLayers"),
          required(s.getDModel(), "dModel"),
          required(s.getDFF(), "dFF"),
          required(s.getDKV(), "dKV"),
          heads,
          s.getKvHeads() == null ? heads : s.getKvHeads(),
          Boolean.TRUE.equals(s.getTiedKV()),
          required(s.getVocabSize(), "vocabSize"));
    } catch (ShapeException e) {
      String field = e.field().startsWith(SHAPE) ? e.field() : SHAPE + "." + e.field();
      throw new InvalidSpecException(field, field + ": " + e.getMessage());
    }
  }

  private static int required(Integer value, String field) {
    if (value == null) {
      throw new InvalidSpecException(
          SHAPE + "." + field,
          SHAPE + "." + field + " is required: a TrainingJob carries a fully resolved shape");
    }
    return value;
  }

  /** The data pipeline's settings: one micro-batch per pipeline batch. */
  public PipelineConfig pipelineConfig() {
    return PipelineConfig.from(pretrain).withBatchSize(microBatch);
  }

  /** Dropout while pretraining: none unless the spec asks (T5 1.1 and the paper's sweeps). */
  public float pretrainDropout() {
    return pretrain.getDropout() == null ? 0f : pretrain.getDropout().floatValue();
  }

  /** Training's arithmetic, pretraining's and fine-tuning's: fp32 unless the spec says otherwise. */
  public Precision precision() {
    return pretrain.getPrecision() == null ? Precision.FP32 : pretrain.getPrecision();
  }

  public long params() {
    return ParamCounter.count(shape);
  }

  /** Training FLOPs of one optimizer step at the recipe's batch and lengths. */
  public long flopsPerStep() {
    return FlopCounter.trainingFlopsPerStep(
        shape, batchSize, lengths.inputLength(), lengths.targetLength());
  }

  /**
   * Fingerprint of everything that decides the training trajectory (shape, data, optimizer, batch,
   * seed), leaving out what may change between attempts without changing the steps already taken:
   * the step count, the checkpoint interval and the evaluation size. A checkpoint is resumed only
   * by a recipe with the same fingerprint.
   */
  public String fingerprint() {
    ObjectMapper json =
        new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    try {
      PretrainSpec trajectory =
          json.readValue(json.writeValueAsBytes(pretrain), PretrainSpec.class);
      trajectory.setSteps(null);
      trajectory.setCheckpointEvery(null);
      trajectory.setEvalBatches(null);
      if (pretrainDropout() == 0f) {
        // as before the field existed, so older checkpoints still resume
        trajectory.setDropout(null);
      }
      if (precision() == Precision.FP32) {
        // likewise: fp32 checkpoints from before the field existed still resume
        trajectory.setPrecision(null);
      }
      byte[] text = json.writeValueAsBytes(new Object[] {shape, trajectory});
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text));
    } catch (java.io.IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot fingerprint the recipe", e);
    }
  }
}
