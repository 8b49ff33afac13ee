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

  /**
   * Fewer passes over the full-size arrays than the textbook order: epsilon and decay go on the
   * row and column means instead of the squared gradient, the update's RMS comes from the squared
   * gradient and the factors without materialising the update first, and every scalar (clip,
   * parameter scale, learning rate) folds into the row factor, so the update is formed by two
   * multiplications and applied by one subtraction.
   */
  @Override
  protected Pending prepare(
      String name, NDArray weight, NDArray gradient, float learningRate, long step) {
    Shape shape = weight.getShape();
    float decay = (float) (1.0 - Math.pow(step, -decayExponent));
    return factored(shape)
        ? factoredUpdate(name, weight, gradient, learningRate, decay)
        : fullUpdate(name, weight, gradient, learningRate, decay);
  }

  private Pending factoredUpdate(
      String name, NDArray weight, NDArray gradient, float learningRate, float decay) {
    Shape shape = weight.getShape();
    int rank = shape.dimension();
    NDArray squared = gradient.square();
    // vr: mean over columns (one value per row); vc: mean over rows (one per column)
    NDArray rowIn = squared.mean(new int[] {rank - 1}).addi(epsilon1).muli(1 - decay);
    NDArray colIn = squared.mean(new int[] {rank - 2}).addi(epsilon1).muli(1 - decay);
    NDArray vr = slot(name, "vr", shape.slice(0, rank - 1), weight.getDevice());
    NDArray vc =
        slot(name, "vc", shape.slice(0, rank - 2).add(shape.get(rank - 1)), weight.getDevice());
    NDArray vrNext = vr.mul(decay).addi(rowIn);
    NDArray vcNext = vc.mul(decay).addi(colIn);
    // V ~ outer(vr, vc) / mean(vr): rows scaled by sqrt(mean(vr)/vr), columns by 1/sqrt(vc)
    NDArray rowFactor = vrNext.div(vrNext.mean(new int[] {rank - 2}, true)).pow(-0.5f);
    NDArray colFactor = vcNext.pow(-0.5f);
    NDArray meanSquare;
    if (rank == 2) {
      // mean((g r c)^2) = sum_i r_i^2 sum_j g_ij^2 c_j^2 / n: a matrix-vector product
      meanSquare =
          squared.matMul(colFactor.square()).dot(rowFactor.square()).divi((float) shape.size());
    } else {
      NDArray x = gradient.mul(rowFactor.expandDims(rank - 1)).muli(colFactor.expandDims(rank - 2));
      meanSquare = x.square().mean();
      x.close();
    }
    squared.close();
    NDArray rowScaled = rowFactor.muli(scale(weight, meanSquare, learningRate)).expandDims(rank - 1);
    NDArray columns = colFactor.expandDims(rank - 2);
    return new Pending() {
      @Override
      public NDArray check() {
        return meanSquare;
      }

      @Override
      public void apply() {
        vr.muli(decay).addi(rowIn);
        vc.muli(decay).addi(colIn);
        subtract(name, weight, gradient.mul(rowScaled).muli(columns));
      }
    };
  }

  private Pending fullUpdate(
      String name, NDArray weight, NDArray gradient, float learningRate, float decay) {
    NDArray v = slot(name, "v", weight.getShape(), weight.getDevice());
    NDArray in = gradient.square().addi(epsilon1).muli(1 - decay);
    NDArray x = gradient.div(v.mul(decay).addi(in).sqrt());
    NDArray meanSquare = x.square().mean();
    NDArray scale = scale(weight, meanSquare, learningRate);
    return new Pending() {
      @Override
      public NDArray check() {
        return meanSquare;
      }

      @Override
      public void apply() {
        v.muli(decay).addi(in);
        subtract(name, weight, x.muli(scale));
      }
    };
  }

  /** A scalar on the device: learning rate times parameter scale over the RMS clip. */
  private NDArray scale(NDArray weight, NDArray meanSquare, float learningRate) {
    NDArray scale;
    if (multiplyByParameterScale) {
      scale =
          weight.norm().muli((float) (1 / Math.sqrt(weight.getShape().size()))).maximum(epsilon2);
      scale.muli(learningRate);
    } else {
      scale = meanSquare.zerosLike().addi(learningRate);
    }
    if (clippingThreshold > 0) {
      scale.divi(meanSquare.sqrt().divi(clippingThreshold).maximum(1f));
    }
    return scale;
  }

  private void subtract(String name, NDArray weight, NDArray x) {
    if (beta1 > 0) {
      NDArray m = slot(name, "m", weight.getShape(), weight.getDevice());
      m.muli(beta1).addi(x.muli(1 - beta1));
      weight.subi(m);
    } else {
      weight.subi(x);
    }
    x.close();
  }

  private boolean factored(Shape shape) {
    int rank = shape.dimension();
    return rank >= 2
        && Math.min(shape.get(rank - 1), shape.get(rank - 2)) >= minDimSizeToFactor;
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
