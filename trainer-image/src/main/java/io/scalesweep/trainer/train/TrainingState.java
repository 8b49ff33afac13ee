package io.scalesweep.trainer.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.scalesweep.trainer.data.PipelineState;
import java.io.IOException;

/**
 * {@code state.json} of a checkpoint: everything besides weights and optimizer moments that a
 * resumed run needs to continue as if it had never stopped. Pretraining has no dropout, so there is
 * no random state beyond the data position; the seed and the recipe fingerprint guard against
 * resuming someone else's run.
 *
 * @param step optimizer steps completed
 * @param data where the training pipeline continues
 * @param recipe {@link TrialRecipe#fingerprint()} of the run that wrote it
 * @param lastLoss training loss of step {@code step}
 * @param tokens input plus target tokens trained on so far
 * @param trainSeconds time spent in training steps so far (no checkpointing, no evaluation)
 * @param skippedSteps updates skipped for a non-finite gradient so far (0 in older checkpoints)
 * @param recomputedSteps steps computed twice for a non-finite first result so far
 * @param wallSeconds wall time of all attempts so far, up to this checkpoint
 * @param lossScale the loss scaler's state in mixed precision; null (and absent from the file) in
 *     fp32
 */
public record TrainingState(
    String code,
    long step,
    PipelineState data,
    long seed,
    String recipe,
    String optimizer,
    double lastLoss,
    long tokens,
    double trainSeconds,
    long skippedSteps,
    long recomputedSteps,
    double wallSeconds,
    @JsonInclude(JsonInclude.Include.NON_NULL) LossScaler.State lossScale)
    implements TrainingCheckpoints.State {

  public static TrainingState fromJson(byte[] json) throws IOException {
    return TrainingCheckpoints.STATE_JSON.readValue(json, TrainingState.class);
  }
}
