package io.scalesweep.trainer.train;

/**
 * Training cannot go on with numbers that are not numbers; continuing would only burn the GPU
 * hours that remain. The message says what the evidence points at, so that a user is not sent to
 * the learning rate for a fault the learning rate did not cause.
 */
public class TrainingDivergedException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private TrainingDivergedException(String message) {
    super(message);
  }

  /**
   * The loss was not finite, and again on a second computation of the same batch.
   *
   * @param weightsFinite whether every weight was still finite before the step
   */
  public static TrainingDivergedException loss(
      Phase phase, long step, double loss, boolean weightsFinite) {
    String field = phase.specField();
    return new TrainingDivergedException(
        "training diverged: loss " + loss + " at " + phase.label() + " step " + step
            + (weightsFinite
                ? " from finite weights (the activations overflowed)"
                : " (the weights are no longer finite)")
            + ", the same again when the step was computed a second time; lower "
            + field + ".learningRate or set " + field + ".maxGradNorm");
  }

  /** The gradient was not finite, each time reproducibly, in {@code steps} steps in a row. */
  public static TrainingDivergedException gradient(
      Phase phase, long step, int steps, double loss) {
    String field = phase.specField();
    return new TrainingDivergedException(
        "training diverged: the gradient was not finite in " + steps + " " + phase.label()
            + " steps in a row up to step " + step + " (each update skipped), while the loss was"
            + " finite (" + loss + ") and the weights too; the backward pass overflows: lower "
            + field + ".learningRate or set " + field + ".maxGradNorm");
  }
}
