package io.scalesweep.trainer.train;

/** The loss stopped being a number: continuing would only burn the GPU hours that remain. */
public class TrainingDivergedException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  public TrainingDivergedException(long step, double loss) {
    super(
        "training diverged: loss "
            + loss
            + " at step "
            + step
            + "; lower pretrain.learningRate or set pretrain.maxGradNorm");
  }
}
