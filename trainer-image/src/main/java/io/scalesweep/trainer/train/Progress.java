package io.scalesweep.trainer.train;

/**
 * Where a run stands after a step, as listeners see it. Rates and the mean loss are over the window
 * since the previous logged step, so they follow the run instead of its whole history.
 *
 * @param phase which phase's steps these are
 * @param logged whether this step is one the run logs (console line, metrics.jsonl line)
 * @param meanLoss mean step loss over the window, as of the last step that read its loss back
 * @param loss this step's loss, NaN on a step that did not read it back (neither logged nor
 *     checkpointed); the same for {@code gradientNorm} unless clipping computed it
 * @param trainSeconds time in training steps so far, all attempts, checkpoints and evaluation
 *     excluded
 * @param etaSeconds remaining steps at the window's rate
 * @param skippedSteps updates skipped for a non-finite gradient so far, all attempts
 * @param recomputedSteps steps computed twice because the first result was not finite, so far
 */
public record Progress(
    Phase phase,
    long step,
    long totalSteps,
    double loss,
    double meanLoss,
    float learningRate,
    float gradientNorm,
    double tokensPerSecond,
    double stepsPerSecond,
    double trainSeconds,
    double etaSeconds,
    long skippedSteps,
    long recomputedSteps,
    boolean logged) {}
