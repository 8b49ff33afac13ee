/**
 * Downstream tasks: task files to text pairs, the mixture fine-tuning draws from, and the scores.
 *
 * <pre>{@code
 * FinetuneSpec finetune = trial.getFinetune();
 * List<Task> tasks = new TaskLoader(store).load(finetune);    // every check, before step 0
 * TaskMixture mixture = TaskMixture.of(finetune, tasks, seed); // restore(MixtureState) to resume
 * TextBatcher batcher = new TextBatcher(tokenizer, inputLength, targetLength);
 * TokenBatch batch = batcher.batch(mixture.next(batchSize));  // EOS-terminated, padded to longest
 * DownstreamScores scores =
 *     new DownstreamEvaluator(model, parameterStore, manager, batcher, 32).evaluate(tasks);
 * }</pre>
 *
 * <p>{@code io.scalesweep.trainer.train.FinetunePhase} runs exactly this inside a trial.
 *
 * <p>Choices: files are read whole into memory (GLUE-sized tasks fit easily); label words replace
 * the values of the fields the target template names; a list-valued target field gives several
 * accepted answers, scored by their best; accuracy and macro F1 compare trimmed texts exactly,
 * exact match and token F1 normalise as SQuAD's official script. {@link SyntheticTasks} writes
 * the tasks shipped under {@code examples/data/tasks}.
 */
package io.scalesweep.trainer.tasks;
