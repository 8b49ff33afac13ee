package io.scalesweep.api.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalesweep.api.shape.BaseSize;
import io.scalesweep.api.shape.Shape;
import io.scalesweep.api.shape.Variant;
import org.junit.jupiter.api.Test;

class FlopCounterTest {

  private static final int INPUT = 512;
  private static final int TARGET = 114;

  private static long flops(String code, int batch) {
    Variant variant = Variant.parse(code);
    return FlopCounter.trainingFlopsPerStep(
        variant.shape(variant.base().shape()), batch, INPUT, TARGET);
  }

  /** The paper: "Small 16L ... has only about 63.1% of total FLOPs" of Base. */
  @Test
  void small16LayersCostsAboutSixtyThreePercentOfBase() {
    double ratio = (double) flops("NL16-SM", 128) / flops("BA", 128);
    assertThat(ratio).isBetween(0.60, 0.66);
  }

  @Test
  void flopsAreLinearInBatch() {
    long one = flops("NL16-SM", 1);
    assertThat(flops("NL16-SM", 128)).isEqualTo(128 * one);
    assertThat(flops("XXL", 256)).isEqualTo(2 * flops("XXL", 128));
  }

  /**
   * One encoder and one decoder layer, d_model 2, d_ff 3, two heads of width 1, vocabulary 5,
   * 4 input and 3 target tokens, counted matmul by matmul (2 FLOPs per multiply-add):
   *
   * <pre>
   * encoder: q,k,v,o 4 x (2*4*2*2) = 128, ffn 2 x (2*4*2*3) = 96,
   *          scores and weighted values 2 x (2*4*4*2) = 128                          -> 352
   * decoder: self q,k,v,o 4 x (2*3*2*2) = 96, cross q,o 2 x (2*3*2*2) = 48,
   *          cross k,v over the 4 encoder outputs 2 x (2*4*2*2) = 64, ffn 2 x (2*3*2*3) = 72,
   *          self scores/values 2 x (2*3*3*2) = 72, cross scores/values 2 x (2*3*4*2) = 96 -> 448
   * logits:  2*3*5*2 = 60;  forward 860, training 3 x 860 = 2580 per example
   * </pre>
   */
  @Test
  void tinyCaseByHand() {
    Shape tiny = new Shape(1, 1, 2, 3, 1, 2, 2, false, 5);
    assertThat(FlopCounter.forwardFlopsPerExample(tiny, 4, 3)).isEqualTo(860);
    assertThat(FlopCounter.trainingFlopsPerStep(tiny, 2, 4, 3)).isEqualTo(2 * 2580);
  }

  /**
   * SKV saves one d_model x inner projection per attention block over the tokens it reads: the
   * encoder's and the cross-attention's 512 inputs, the decoder self-attention's 114 targets.
   */
  @Test
  void tiedKeyValuesSaveOneProjectionPerBlock() {
    long perToken = 2L * 768 * 768;
    long forward = 12 * INPUT * perToken + 12 * (INPUT + TARGET) * perToken;
    assertThat(flops("BA", 1) - flops("SKV-BA", 1)).isEqualTo(3 * forward);
  }

  @Test
  void sharedHeadsKeepAttentionScoresButShrinkProjections() {
    Shape base = BaseSize.BASE.shape();
    Shape mqa = base.withKvHeads(1);
    long saved =
        FlopCounter.forwardFlopsPerExample(base, INPUT, TARGET)
            - FlopCounter.forwardFlopsPerExample(mqa, INPUT, TARGET);
    // Two projections (k and v) lose 11 of 12 heads of width 64; scores still use 12 heads.
    long perToken = 2L * 2 * 768 * 11 * 64;
    assertThat(saved).isEqualTo(12 * INPUT * perToken + 12 * (INPUT + TARGET) * perToken);
  }
}
