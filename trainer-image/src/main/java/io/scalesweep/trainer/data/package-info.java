/**
 * Pretraining data: corpus files to padded span-corruption batches, resumable.
 *
 * <pre>{@code
 * PretrainData data = new PretrainData(new LocalCorpusStore(), trial.pretrain());
 * try (Tokenizer tokenizer = Tokenizers.fromSpec(trial.pretrain().getTokenizer());
 *     SpanCorruptionPipeline train = data.training(tokenizer, checkpoint == null ? null : checkpoint.data())) {
 *   for (long step = start; step < steps; step++) {
 *     TokenBatch batch = train.next();                 // never null for training
 *     try (NDManager stepManager = NDManager.newBaseManager()) {
 *       NDList arrays = batch.toNDList(stepManager);   // encoder_input, encoder_mask, decoder_input, targets, decoder_mask
 *       ...
 *     }
 *     if (checkpointDue) save(train.state());          // PipelineState: 5 numbers, Jackson- or encode()-able
 *   }
 * }
 * try (SpanCorruptionPipeline eval = data.evaluation(tokenizer)) { // same batches every time
 *   for (TokenBatch b; n < evalBatches && (b = eval.next()) != null; n++) { ... }
 * }
 * }</pre>
 *
 * <p>Choices: plain text is one document per non-blank line; JSONL records without the text
 * field fail the run (empty texts are skipped); every document is followed by EOS in the packed
 * stream (T5's C4 task concatenates without a separator; here the brief asks for EOS); files are
 * read in a seeded order per epoch, documents within a file in order; without {@code
 * pretrain.validation} one document in 100 (by hash) is held out for evaluation.
 */
package io.scalesweep.trainer.data;
