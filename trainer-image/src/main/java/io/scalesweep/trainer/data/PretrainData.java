package io.scalesweep.trainer.data;

import io.scalesweep.api.v1alpha1.DatasetSpec;
import io.scalesweep.api.v1alpha1.PretrainSpec;

/**
 * The training and evaluation pipelines of a pretraining recipe. Evaluation reads {@code
 * pretrain.validation} whole when it is given, else the held-out slice of the training dataset
 * ({@link HeldOutSplit}), which training then skips. Evaluation corrupts with its own fixed seed
 * and reads files in listed order, so every evaluation sees the same batches.
 */
public final class PretrainData {

  /** Keeps the evaluation corruption independent of the training seed's stream. */
  private static final long EVAL_SEED_SALT = 0x5EED_E7A1_0000_0001L;

  private final CorpusStore store;
  private final PipelineConfig config;
  private final DatasetSpec dataset;
  private final DatasetSpec validation;

  public PretrainData(CorpusStore store, PretrainSpec spec) {
    this(store, spec.getDataset(), spec.getValidation(), PipelineConfig.from(spec));
  }

  public PretrainData(
      CorpusStore store, DatasetSpec dataset, DatasetSpec validation, PipelineConfig config) {
    if (dataset == null || dataset.getUri() == null) {
      throw new DataException("pretrain.dataset.uri is required");
    }
    this.store = store;
    this.dataset = dataset;
    this.validation = validation;
    this.config = config;
  }

  /** The endless training stream, from the start or from a saved state. */
  public SpanCorruptionPipeline training(Tokenizer tokenizer, PipelineState from) {
    HeldOutSplit.Role role = validation == null ? HeldOutSplit.Role.TRAIN : HeldOutSplit.Role.ALL;
    DocumentSource source =
        source(dataset, role, true, config.shuffleFiles() ? config.seed() : null);
    SpanCorruptionPipeline pipeline =
        new SpanCorruptionPipeline(source, tokenizer, config, config.seed());
    if (from != null) {
      pipeline.restore(from);
    }
    return pipeline;
  }

  /** One pass over the evaluation text, same batches every time. */
  public SpanCorruptionPipeline evaluation(Tokenizer tokenizer) {
    DocumentSource source =
        validation == null
            ? source(dataset, HeldOutSplit.Role.HELD_OUT, false, null)
            : source(validation, HeldOutSplit.Role.ALL, false, null);
    return new SpanCorruptionPipeline(source, tokenizer, config, config.seed() ^ EVAL_SEED_SALT);
  }

  private DocumentSource source(
      DatasetSpec spec, HeldOutSplit.Role role, boolean repeat, Long shuffleSeed) {
    return new DocumentSource(
        store,
        spec.getUri(),
        spec.getFormat(),
        spec.getTextField(),
        new HeldOutSplit(config.heldOutEvery()),
        role,
        repeat,
        shuffleSeed);
  }
}
