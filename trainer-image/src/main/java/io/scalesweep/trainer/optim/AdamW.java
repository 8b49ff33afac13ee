package io.scalesweep.trainer.optim;

import ai.djl.ndarray.NDArray;
import java.util.Set;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), in PyTorch's form: the weight first
 * shrinks by {@code lr * weightDecay}, then takes the bias-corrected Adam step.
 */
public final class AdamW extends StatefulOptimizer {

  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float weightDecay;

  /** beta1 0.9, beta2 0.999, epsilon 1e-8, weight decay 0.01 (torch.optim.AdamW's default). */
  public AdamW() {
    this(0.9f, 0.999f, 1e-8f, 0.01f);
  }

  public AdamW(float beta1, float beta2, float epsilon, float weightDecay) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
  }

  @Override
  public String kind() {
    return "adamw";
  }

  @Override
  protected Set<String> slotNames() {
    return Set.of("m", "v");
  }

  @Override
  protected void update(
      String name, NDArray weight, NDArray gradient, float learningRate, long step) {
    NDArray m = slot(name, "m", weight.getShape(), weight.getDevice());
    NDArray v = slot(name, "v", weight.getShape(), weight.getDevice());
    m.muli(beta1).addi(gradient.mul(1 - beta1));
    v.muli(beta2).addi(gradient.square().muli(1 - beta2));
    float correction1 = (float) (1 - Math.pow(beta1, step));
    float correction2 = (float) (1 - Math.pow(beta2, step));
    if (weightDecay > 0) {
      weight.muli(1 - learningRate * weightDecay);
    }
    NDArray denominator = v.div(correction2).sqrt().addi(epsilon);
    weight.subi(m.div(correction1).divi(denominator).muli(learningRate));
  }
}
