/**
 * One trial: pretraining ({@link io.scalesweep.trainer.train.PretrainPhase}) and, when the trial
 * has {@code spec.finetune}, fine-tuning with downstream scores ({@link
 * io.scalesweep.trainer.train.FinetunePhase}); one step loop, checkpoints that resume bit for bit
 * in either phase, the held-out metric and the result, behind {@link
 * io.scalesweep.trainer.train.TrialRun}.
 *
 * <pre>{@code
 * TrainingJob job = ManifestReader.readTrainingJob(file);       // or a trial the sweep expanded
 * TrialOutput output = TrialOutputs.open("runs/sweep/trial");   // folder or file://; s3:// later
 * TrialResult result = new TrialRun(job, output)
 *     .listener(new ProgressReporter(new PrintWriter(System.err)))   // console lines
 *     .listener(ProgressListener.onStep(p -> gauge.set(p.loss())))   // or a full listener
 *     .run();   // InvalidSpecException (exit 2), GpuCheck.MissingGpuException (exit 3)
 * }</pre>
 *
 * <p>Under the output: {@code metrics.jsonl} (always written, one line per logged step), {@code
 * checkpoints/step-N/} ({@code model.safetensors}, {@code optimizer.safetensors}, {@code
 * state.json}, then {@code manifest.json}), when fine-tuning {@code finetune/checkpoints/step-N/}
 * (only the newest kept) and {@code finetune/predictions/<task>.jsonl}, and {@code result.json}. Calling {@code run()} again
 * resumes from the newest checkpoint that verifies, or returns the stored result of a finished
 * trial. One run at a time per JVM, on one thread (DJL's gradient collector is process-wide and
 * grad mode is per thread). {@link io.scalesweep.trainer.train.ThroughputBench} times the same
 * step on random tokens.
 */
package io.scalesweep.trainer.train;
