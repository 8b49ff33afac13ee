package io.scalesweep.trainer.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.scalesweep.api.v1alpha1.TrialResult;
import io.scalesweep.trainer.tasks.MixtureState;
import java.io.IOException;
import java.util.List;

/**
 * {@code state.json} of a fine-tuning checkpoint. Besides where the task mixture continues it
 * carries the upstream result measured before fine-tuning began, so a resumed attempt goes straight
 * to fine-tuning: the pretrained weights it would need to measure that again are gone from the
 * model by then.
 *
 * @param step fine-tuning steps completed
 * @param recipe {@link FinetuneRecipe#fingerprint} of the run that wrote it
 * @param upstream the trial's result before fine-tuning (params, costs, pretraining's numbers)
 * @param skippedSteps updates skipped for a non-finite gradient so far (0 in older checkpoints)
 * @param recomputedSteps steps computed twice for a non-finite first result so far
 * @param wallSeconds wall time of the whole trial so far, pretraining included
 * @param scorings the validation scorings so far, oldest first (null in older checkpoints)
 * @param lossScale the loss scaler's state in mixed precision; null (and absent from the file) in
 *     fp32
 */
public record FinetuneState(
    String code,
    long step,
    MixtureState mixture,
    String recipe,
    String optimizer,
    double lastLoss,
    long tokens,
    double trainSeconds,
    long skippedSteps,
    long recomputedSteps,
    double wallSeconds,
    TrialResult upstream,
    List<Scoring> scorings,
    @JsonInclude(JsonInclude.Include.NON_NULL) LossScaler.State lossScale)
    implements TrainingCheckpoints.State {

  public FinetuneState {
    scorings = scorings == null ? List.of() : List.copyOf(scorings);
  }

  public static FinetuneState fromJson(byte[] json) throws IOException {
    return TrainingCheckpoints.STATE_JSON.readValue(json, FinetuneState.class);
  }
}
