package io.scalesweep.trainer.data;

import io.scalesweep.api.recipe.SpanLengths;
import java.util.ArrayList;
import java.util.List;

/**
 * Corpus to padded span-corruption batches: documents are tokenized and packed into raw chunks
 * of the derived length, each chunk is corrupted with a seed derived from its number, and the
 * examples are padded into batches. Training pipelines repeat the corpus forever; evaluation
 * pipelines make one pass (the last chunk and batch may be short). Not thread-safe.
 */
public final class SpanCorruptionPipeline implements AutoCloseable {

  private final TokenPacker packer;
  private final SpanCorruption corruption;
  private final SpanLengths lengths;
  private final int batchSize;
  private final long seed;
  private final int padId;
  private long chunk;

  SpanCorruptionPipeline(
      DocumentSource source, Tokenizer tokenizer, PipelineConfig config, long seed) {
    this.lengths = config.lengths();
    if (lengths.noiseSpans() > tokenizer.sentinelCount()) {
      throw new IllegalArgumentException(
          "inputLength " + lengths.inputLength() + " needs " + lengths.noiseSpans()
              + " sentinels per example but the tokenizer has " + tokenizer.sentinelCount());
    }
    this.packer = new TokenPacker(source, tokenizer, lengths.rawLength());
    this.corruption =
        new SpanCorruption(config.noiseDensity(), config.meanNoiseSpanLength(), tokenizer);
    this.batchSize = config.batchSize();
    this.seed = seed;
    this.padId = tokenizer.padId();
  }

  /** Continues from a state that {@link #state()} returned, on the same corpus and settings. */
  public void restore(PipelineState state) {
    packer.seek(state.epoch(), state.file(), state.document(), state.tokenOffset());
    chunk = state.chunk();
  }

  /** Where the next batch starts; save it with the checkpoint the current step belongs to. */
  public PipelineState state() {
    long[] head = packer.head();
    return new PipelineState(head[0], (int) head[1], head[2], (int) head[3], chunk);
  }

  /** The next batch, or null when a single-pass pipeline is exhausted. */
  public TokenBatch next() {
    List<Example> examples = new ArrayList<>(batchSize);
    while (examples.size() < batchSize) {
      int[] raw = packer.next();
      if (raw == null) {
        break;
      }
      examples.add(corruption.corrupt(raw, SeedMixer.mix(seed + SeedMixer.mix(chunk++))));
    }
    if (examples.isEmpty()) {
      return null;
    }
    return TokenBatch.of(examples, lengths.inputLength(), lengths.targetLength(), padId);
  }

  public SpanLengths lengths() {
    return lengths;
  }

  /** Documents read so far (since construction or restore). */
  public long documentsRead() {
    return packer.documents();
  }

  /** Tokens read from documents so far, EOS included. */
  public long tokensRead() {
    return packer.tokens();
  }

  @Override
  public void close() {
    // the packer's source owns the open file
    packer.close();
  }
}
