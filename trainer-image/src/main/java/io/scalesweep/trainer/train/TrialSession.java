package io.scalesweep.trainer.train;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.scalesweep.trainer.data.Tokenizer;
import io.scalesweep.trainer.model.T5Model;
import java.util.List;

/**
 * What both phases of one trial attempt train with: the model (its manager capped), the parameter
 * store, the manager each step's arrays open their scope under, the tokenizer, and who listens.
 *
 * @param startedNanos when this attempt began, for wall times
 */
record TrialSession(
    T5Model model,
    ParameterStore parameterStore,
    NDManager base,
    Tokenizer tokenizer,
    List<ProgressListener> listeners,
    Long logEvery,
    long startedNanos) {

  double secondsSinceStart() {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  long logEvery(long steps) {
    return logEvery != null ? logEvery : ProgressMeter.defaultLogEvery(steps);
  }
}
