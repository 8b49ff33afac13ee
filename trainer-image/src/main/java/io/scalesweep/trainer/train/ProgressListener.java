package io.scalesweep.trainer.train;

import io.scalesweep.api.v1alpha1.TrialResult;
import io.scalesweep.trainer.tasks.DownstreamScores;
import java.util.function.Consumer;

/**
 * Observes a {@link TrialRun} from its training thread: the console and metrics.jsonl are
 * listeners, and so can be a Prometheus gauge or a status patcher. Calls are synchronous; a slow
 * listener slows training.
 */
public interface ProgressListener {

  /**
   * Before the first pretraining step of this attempt; {@code fromStep} is 0 or the resumed
   * checkpoint's. Not called when pretraining is over or skipped.
   */
  default void started(TrialRecipe recipe, long fromStep) {}

  /** Before the first fine-tuning step of this attempt, as {@link #started} for pretraining. */
  default void finetuneStarted(FinetuneRecipe recipe, long fromStep) {}

  /** After every step of either phase ({@link Progress#phase()} says which). */
  default void stepped(Progress progress) {}

  /** Something about step {@code step} that a user should hear of, although training goes on. */
  default void warned(Phase phase, long step, String message) {}

  /** After a checkpoint became complete. */
  default void checkpointed(long step, String location) {}

  /** After the held-out evaluation. */
  default void evaluated(HeldOutEvaluator.Evaluation evaluation) {}

  /** After the downstream evaluation. */
  default void scored(DownstreamScores scores) {}

  /** After result.json was written. */
  default void finished(TrialResult result) {}

  /** A listener for steps only: {@code ProgressListener.onStep(p -> gauge.set(p.loss()))}. */
  static ProgressListener onStep(Consumer<Progress> action) {
    return new ProgressListener() {
      @Override
      public void stepped(Progress progress) {
        action.accept(progress);
      }
    };
  }

  /** A listener for warnings only, each given as {@code "step N: message"}. */
  static ProgressListener onWarning(Consumer<String> action) {
    return new ProgressListener() {
      @Override
      public void warned(Phase phase, long step, String message) {
        action.accept("step " + step + ": " + message);
      }
    };
  }
}
