package io.scalesweep.api.shape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VariantTest {

  private static Shape shapeOf(String code) {
    Variant v = Variant.parse(code);
    return v.shape(v.base().shape());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SM", "XXXL", "NL16-SM", "EL32-SM", "DL2-TI", "DM2K-BA", "KV128-SM", "NH24-BA",
        "FF12K-BA", "SH1-BA", "SKV-BA", "NL16-FF4K-SM", "NL36-SH4-SKV-LG", "DM1000-XL"
      })
  void canonicalCodesRoundTrip(String code) {
    Variant parsed = Variant.parse(code);
    assertThat(parsed.code()).isEqualTo(code);
    assertThat(Variant.parse(parsed.code())).isEqualTo(parsed);
  }

  @ParameterizedTest(name = "{0} is written {1}")
  @CsvSource({
    "FF12288-BA, FF12K-BA",
    "DM2048-BA, DM2K-BA",
    "FF1024-TI, FF1K-TI",
    "NL1024-TI, NL1K-TI",
    "DM1536-BA, DM1536-BA",
    "' NL16-SM ', NL16-SM"
  })
  void valuesDivisibleBy1024PrintWithK(String written, String canonical) {
    assertThat(Variant.parse(written).code()).isEqualTo(canonical);
  }

  @Test
  void kMultipliesBy1024() {
    assertThat(Variant.parse("FF12K-BA").steps())
        .containsExactly(new ScalingStep(ScalingOp.FF, 12288));
    assertThat(Variant.parse("DM2K-BA").steps())
        .containsExactly(new ScalingStep(ScalingOp.DM, 2048));
  }

  /** Each operator changes exactly its knob of Base (12/12 layers, 768, 3072, 64, 12 heads). */
  @Test
  void everyOperatorChangesItsKnob() {
    Shape ba = BaseSize.BASE.shape();
    assertThat(shapeOf("NL16-BA")).isEqualTo(ba.withEncoderLayers(16).withDecoderLayers(16));
    assertThat(shapeOf("EL16-BA")).isEqualTo(ba.withEncoderLayers(16));
    assertThat(shapeOf("DL16-BA")).isEqualTo(ba.withDecoderLayers(16));
    assertThat(shapeOf("DM2K-BA").dModel()).isEqualTo(2048);
    assertThat(shapeOf("KV128-BA").dKV()).isEqualTo(128);
    assertThat(shapeOf("NH24-BA"))
        .extracting(Shape::numHeads, Shape::kvHeads)
        .containsExactly(24, 24);
    assertThat(shapeOf("FF12K-BA").dFF()).isEqualTo(12288);
    assertThat(shapeOf("SH1-BA"))
        .extracting(Shape::numHeads, Shape::kvHeads)
        .containsExactly(12, 1);
    assertThat(shapeOf("SKV-BA")).isEqualTo(ba.withTiedKV(true));
  }

  @Test
  void laterOperatorsWinAndSharedHeadsComeLast() {
    assertThat(shapeOf("NL16-EL32-SM"))
        .extracting(Shape::encoderLayers, Shape::decoderLayers)
        .containsExactly(32, 16);
    // 8 does not divide Base's 12 heads, but it divides the 16 NH asks for.
    assertThat(shapeOf("SH8-NH16-BA")).isEqualTo(shapeOf("NH16-SH8-BA"));
    assertThat(shapeOf("SH8-NH16-BA"))
        .extracting(Shape::numHeads, Shape::kvHeads)
        .containsExactly(16, 8);
  }

  @Test
  void shapeStartsFromTheGivenBase() {
    Shape bytesSmall = BaseSize.SMALL.shape().withVocabSize(ByteVocabulary.SIZE);
    assertThat(Variant.parse("NL16-SM").shape(bytesSmall).vocabSize())
        .isEqualTo(ByteVocabulary.SIZE);
  }

  @Test
  void invalidResultNamesVariantAndField() {
    assertThatThrownBy(() -> shapeOf("SH5-BA"))
        .isInstanceOf(ShapeException.class)
        .hasMessageContaining("SH5-BA")
        .hasMessageContaining("kvHeads must divide numHeads")
        .extracting(e -> ((ShapeException) e).field())
        .isEqualTo("kvHeads");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "XX16-SM | unknown operator 'XX' in 'XX16-SM': allowed NL, EL, DL, DM, KV, NH, FF, SH, SKV",
        "nl16-SM | unknown operator 'nl' in 'nl16-SM': allowed NL,",
        "NL16-YY | unknown base 'YY' in 'NL16-YY': a variant ends in a base code, allowed TI, MI,"
            + " SM, BA, LG, XL, XXL, XXXL",
        "NL16 | unknown base 'NL16'",
        "NL-SM | operator NL in 'NL-SM' needs a value",
        "SKV2-BA | operator SKV in 'SKV2-BA' is a switch and takes no value",
        "NL0-SM | value of 'NL0' in 'NL0-SM' must be at least 1",
        "FF4M-BA | cannot read 'FF4M' in 'FF4M-BA'",
        "FF1.5K-BA | cannot read 'FF1.5K'",
        "NL16--SM | empty part in 'NL16--SM'",
        "NL16-NL24-SM | operator NL appears more than once in 'NL16-NL24-SM'",
        "FF99999999999999K-BA | must be at most 2147483647",
        "FF2097152K-BA | value of 'FF2097152K' in 'FF2097152K-BA' must be at most 2147483647"
      })
  void badCodesSayWhatIsWrongAndWhatIsAllowed(String code, String message) {
    assertThatThrownBy(() -> Variant.parse(code))
        .isInstanceOf(ShapeException.class)
        .hasMessageContaining(message);
  }

  @Test
  void blankCodeIsRejected() {
    assertThatThrownBy(() -> Variant.parse(" ")).hasMessageContaining("for example NL16-SM");
    assertThatThrownBy(() -> Variant.parse(null)).isInstanceOf(ShapeException.class);
  }

  @Test
  void skvHasNoValueAndOthersNeedOne() {
    assertThat(ScalingStep.of(ScalingOp.SKV).code()).isEqualTo("SKV");
    assertThatThrownBy(() -> new ScalingStep(ScalingOp.SKV, 3)).isInstanceOf(ShapeException.class);
    assertThatThrownBy(() -> ScalingStep.of(ScalingOp.NL)).isInstanceOf(ShapeException.class);
  }

  @Test
  void baseAloneIsItsCode() {
    assertThat(Variant.of(BaseSize.XXL).code()).isEqualTo("XXL");
    assertThat(Variant.of(BaseSize.SMALL)).isEqualTo(new Variant(List.of(), BaseSize.SMALL));
  }
}
