/**
 * Optimisers that own their (checkpointable) state, T5's learning-rate schedule and global-norm
 * gradient clipping, all leak-free with respect to the model's NDManager.
 *
 * <pre>{@code
 * StatefulOptimizer optimizer = Optimizers.create(spec.getOptimizer());  // Adafactor.t5() by default
 * LearningRateSchedule schedule = Optimizers.pretrainSchedule(spec);     // 0.01 * sqrt(1e4 / max(step, 1e4))
 * ParameterList params = model.getBlock().getParameters();
 * // per step, after backward (gradients accumulate until step()):
 * float norm = spec.getMaxGradNorm() > 0
 *     ? GradientClipping.clipByGlobalNorm(params, spec.getMaxGradNorm().floatValue())
 *     : GradientClipping.globalNorm(params);
 * optimizer.step(params, schedule.at(optimizer.steps() + 1));            // also zeroes the gradients
 * // checkpoint: name-keyed arrays, e.g. NDList.encode(out, SAFETENSORS)
 * try (NDManager m = NDManager.newBaseManager(); NDList state = optimizer.saveState(m)) { ... }
 * // resume: optimizer.loadState(NDList.decode(manager, in)); steps() continues from the saved count
 * }</pre>
 */
package io.scalesweep.trainer.optim;
