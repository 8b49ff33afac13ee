/**
 * Downstream tasks: task files to text pairs, the mixture fine-tuning draws from, and the scores.
 *
 * <pre>{@code
 * FinetuneSpec finetune = trial.getFinetune();
 * List<Task> tasks = new TaskLoader(store).load(finetune);    // every check, before step 0
 * TaskMixture mixture = TaskMixture.of(finetune, tasks, seed);
 * if (checkpoint != null) mixture.restore(checkpoint.mixture()); // MixtureState, Jackson-able
 * for (long step = start; step < finetune.getSteps(); step++) {
 *   List<TextExample> batch = mixture.next(finetune.getBatchSize());
 *   // tokenize e.input() and e.target(), append EOS, cut to inputLength / targetLength
 *   if (checkpointDue) save(mixture.state());
 * }
 * for (Task task : tasks) {
 *   List<String> predictions = ...;  // greedy decoding of each task.validation().get(i).input()
 *   double score = task.score(predictions);  // 0 to 100, by task.metric()
 * }
 * }</pre>
 *
 * <p>Choices: files are read whole into memory (GLUE-sized tasks fit easily); label words replace
 * the values of the fields the target template names; a list-valued target field gives several
 * accepted answers, scored by their best; accuracy and macro F1 compare trimmed texts exactly,
 * exact match and token F1 normalise as SQuAD's official script. {@link SyntheticTasks} writes
 * the tasks shipped under {@code examples/data/tasks}.
 */
package io.scalesweep.trainer.tasks;
