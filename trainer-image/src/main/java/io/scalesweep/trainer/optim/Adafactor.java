package io.scalesweep.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Set;

/**
 * Adafactor as T5 trains with it (Shazeer and Stern 2018, Mesh TensorFlow's defaults): second
 * moments factored into row and column means for matrices, kept whole for vectors, decay {@code
 * 1 - t^-0.8}, updates clipped to RMS 1 and scaled by the parameter's RMS (at least 1e-3), no
 * momentum, learning rate from outside.
 *
 * <p>Matrices are factored over their last two dimensions when both are at least {@code
 * minDimSizeToFactor} (Mesh TF: 128, so T5's relative-position tables, 32 x heads, stay whole).
 */
public final class Adafactor extends StatefulOptimizer {

  private final double decayExponent;
  private final float epsilon1;
  private final float epsilon2;
  private final float clippingThreshold;
  private final boolean multiplyByParameterScale;
  private final float beta1;
  private final int minDimSizeToFactor;

  private Adafactor(Builder b) {
    this.decayExponent = b.decayExponent;
    this.epsilon1 = b.epsilon1;
    this.epsilon2 = b.epsilon2;
    this.clippingThreshold = b.clippingThreshold;
    this.multiplyByParameterScale = b.multiplyByParameterScale;
    this.beta1 = b.beta1;
    this.minDimSizeToFactor = b.minDimSizeToFactor;
  }

  /** T5's settings. */
  public static Adafactor t5() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String kind() {
    return "adafactor";
  }

  @Override
  protected Set<String> slotNames() {
    return Set.of("vr", "vc", "v", "m");
  }

  @Override
  protected void update(
      String name, NDArray weight, NDArray gradient, float learningRate, long step) {
    Shape shape = weight.getShape();
    int rank = shape.dimension();
    float decay = (float) (1.0 - Math.pow(step, -decayExponent));
    NDArray squared = gradient.square().addi(epsilon1);
    NDArray x;
    if (factored(shape)) {
      // vr: mean over columns (one value per row); vc: mean over rows (one per column)
      NDArray vr = slot(name, "vr", shape.slice(0, rank - 1), weight.getDevice());
      NDArray vc =
          slot(name, "vc", shape.slice(0, rank - 2).add(shape.get(rank - 1)), weight.getDevice());
      vr.muli(decay).addi(squared.mean(new int[] {rank - 1}).muli(1 - decay));
      vc.muli(decay).addi(squared.mean(new int[] {rank - 2}).muli(1 - decay));
      // V ~ outer(vr, vc) / mean(vr): scale rows by 1/sqrt(vr/mean(vr)), columns by 1/sqrt(vc)
      NDArray rowScale = vr.div(vr.mean(new int[] {rank - 2}, true)).sqrt().expandDims(rank - 1);
      NDArray colScale = vc.sqrt().expandDims(rank - 2);
      x = gradient.div(rowScale).divi(colScale);
    } else {
      NDArray v = slot(name, "v", shape, weight.getDevice());
      v.muli(decay).addi(squared.muli(1 - decay));
      x = gradient.div(v.sqrt());
    }
    if (clippingThreshold > 0) {
      x.divi(rms(x).divi(clippingThreshold).maximum(1f));
    }
    if (multiplyByParameterScale) {
      x.muli(rms(weight).maximum(epsilon2));
    }
    x.muli(learningRate);
    if (beta1 > 0) {
      NDArray m = slot(name, "m", shape, weight.getDevice());
      m.muli(beta1).addi(x.muli(1 - beta1));
      x = m;
    }
    weight.subi(x);
  }

  private boolean factored(Shape shape) {
    int rank = shape.dimension();
    return rank >= 2
        && Math.min(shape.get(rank - 1), shape.get(rank - 2)) >= minDimSizeToFactor;
  }

  private static NDArray rms(NDArray a) {
    return a.square().mean().sqrt();
  }

  /** Mesh TF's defaults unless changed. */
  public static final class Builder {
    private double decayExponent = 0.8;
    private float epsilon1 = 1e-30f;
    private float epsilon2 = 1e-3f;
    private float clippingThreshold = 1f;
    private boolean multiplyByParameterScale = true;
    private float beta1;
    private int minDimSizeToFactor = 128;

    /** beta2 at step t is {@code 1 - t^-exponent}. */
    public Builder decayExponent(double v) {
      this.decayExponent = v;
      return this;
    }

    /** Added to squared gradients. */
    public Builder epsilon1(float v) {
      this.epsilon1 = v;
      return this;
    }

    /** Floor of the parameter scale. */
    public Builder epsilon2(float v) {
      this.epsilon2 = v;
      return this;
    }

    /** Largest RMS of an update before scaling; 0 turns clipping off. */
    public Builder clippingThreshold(float v) {
      this.clippingThreshold = v;
      return this;
    }

    public Builder multiplyByParameterScale(boolean v) {
      this.multiplyByParameterScale = v;
      return this;
    }

    /** Momentum on the scaled update; 0 (T5) keeps no first moment. */
    public Builder beta1(float v) {
      this.beta1 = v;
      return this;
    }

    /** Factor only matrices whose last two dimensions are both at least this. */
    public Builder minDimSizeToFactor(int v) {
      this.minDimSizeToFactor = v;
      return this;
    }

    public Adafactor build() {
      return new Adafactor(this);
    }
  }
}
