package io.scalesweep.trainer.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.scalesweep.trainer.data.TokenBatch;
import io.scalesweep.trainer.model.HalfMatmuls;
import io.scalesweep.trainer.model.Scalars;
import io.scalesweep.trainer.model.T5Loss;
import io.scalesweep.trainer.model.T5Model;
import io.scalesweep.trainer.model.TokenLoss;
import io.scalesweep.trainer.optim.GradientClipping;
import java.util.List;

/**
 * The forward and backward passes of one batch: its micro-batches one after another, their
 * gradients adding up in the parameters to those of the whole batch's per-token mean. Each
 * micro-batch's arrays live in a sub-manager closed right after its backward pass, so at most one
 * micro-batch of activations is alive. In mixed precision the loss is scaled before the backward
 * pass and the gradients unscaled after it, on the device.
 */
final class BatchGradients {

  private final T5Model model;
  private final PairList<String, Parameter> parameters;
  /** The store the forward pass reads: the trainer's, or its fp16 view when mixed. */
  private ParameterStore forwardStore;
  /** Null in fp32. */
  private LossScaler scaler;
  private float zLoss;

  BatchGradients(T5Model model, ParameterStore parameterStore, PairList<String, Parameter> parameters) {
    this.model = model;
    this.forwardStore = parameterStore;
    this.parameters = parameters;
  }

  /** Adds T5's auxiliary z-loss to what is differentiated (never to the reported loss). */
  void zLoss(float coefficient) {
    this.zLoss = coefficient;
  }

  /** Mixed precision: fp16 matrix products through {@code halfStore}, the loss scaled by {@code scaler}. */
  void mixedPrecision(HalfMatmuls halfStore, LossScaler scaler) {
    this.forwardStore = halfStore;
    this.scaler = scaler;
  }

  /**
   * Forward and backward over {@code batches}.
   *
   * @return the batch's loss per target token, a float64 scalar in {@code scope}
   */
  NDArray compute(List<TokenBatch> batches, long targetTokens, NDManager scope) {
    // Each micro-batch's summed loss over the batch's token count: the gradients add up to those
    // of the whole batch's per-token mean, however the tokens fall into micro-batches.
    float perToken = 1f / Math.max(targetTokens, 1);
    // mixed precision: scaled so that small gradients survive fp16 (a power of two: exact)
    float backwardFactor = scaler == null ? perToken : perToken * scaler.scale();
    NDArray lossSum = null;
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      for (TokenBatch batch : batches) {
        try (NDManager micro = scope.newSubManager()) {
          NDList x = batch.toNDList(micro, DataType.INT64);
          NDArray logits =
              batch.packed()
                  ? model.packedLogits(forwardStore, x.get(0), x.get(1), x.get(2), x.get(4), true)
                  : model.logits(
                      forwardStore,
                      x.get(0),
                      batch.encoderPadded() ? x.get(1) : null,
                      x.get(2),
                      batch.decoderPadded() ? x.get(4) : null,
                      true);
          TokenLoss loss = T5Loss.crossEntropy(logits, x.get(3), x.get(4));
          NDArray objective = loss.sum();
          if (zLoss > 0) {
            // trained on, not reported: the logged loss stays the cross-entropy
            objective = objective.add(Scalars.mul(T5Loss.zLossSum(logits, x.get(4)), zLoss));
          }
          collector.backward(Scalars.mul(objective, backwardFactor));
          // summed in float64 as a Java double would, without reading it back
          NDArray value = loss.sum().stopGradient().toType(DataType.FLOAT64, false);
          if (lossSum == null) {
            lossSum = value;
            lossSum.attach(scope);
          } else {
            lossSum.addi(value);
          }
        }
      }
    }
    if (scaler != null) {
      // in place on the device: nothing is read back (an overflow stays inf or NaN)
      GradientClipping.scale(parameters, 1f / scaler.scale());
    }
    return lossSum.divi((double) Math.max(targetTokens, 1));
  }
}
