package io.scalesweep.api.shape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scalesweep.api.v1alpha1.PretrainSpec;
import io.scalesweep.api.v1alpha1.ScalingRule;
import io.scalesweep.api.v1alpha1.ScalingSweepSpec;
import io.scalesweep.api.v1alpha1.ShapeSpec;
import io.scalesweep.api.v1alpha1.TokenizerSpec;
import io.scalesweep.api.v1alpha1.TokenizerType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class SweepExpanderTest {

  private static ScalingRule rule(ScalingOp op, Integer... values) {
    ScalingRule rule = new ScalingRule();
    rule.setOp(op);
    rule.setValues(values.length == 0 ? null : new ArrayList<>(Arrays.asList(values)));
    return rule;
  }

  private static ScalingSweepSpec spec(BaseSize base, ScalingRule... rules) {
    ScalingSweepSpec spec = new ScalingSweepSpec();
    spec.setBase(base);
    spec.setScaling(rules.length == 0 ? null : List.of(rules));
    return spec;
  }

  private static List<String> codes(ScalingSweepSpec spec) {
    return SweepExpander.expand("s", spec).stream().map(Trial::code).toList();
  }

  private static AbstractThrowableAssert<?, ?> assertFailsAt(ScalingSweepSpec spec, String field) {
    return assertThatThrownBy(() -> SweepExpander.expand("s", spec))
        .isInstanceOfSatisfying(
            ShapeException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContaining(field);
  }

  @Test
  void oneAtATimeAppliesEachValueAloneAfterTheBase() {
    ScalingSweepSpec spec =
        spec(BaseSize.SMALL, rule(ScalingOp.NL, 8, 16, 24, 32), rule(ScalingOp.FF, 4096));
    List<Trial> trials = SweepExpander.expand("deepnarrow-small", spec);
    assertThat(trials)
        .extracting(Trial::code)
        .containsExactly("SM", "NL8-SM", "NL16-SM", "NL24-SM", "NL32-SM", "FF4K-SM");
    assertThat(trials.get(2).name()).isEqualTo("deepnarrow-small-nl16-sm");
    assertThat(trials.get(2).shape().encoderLayers()).isEqualTo(16);
    assertThat(trials.get(2).shape().dFF()).isEqualTo(2048);
    assertThat(trials.get(5).shape().dFF()).isEqualTo(4096);
  }

  @Test
  void includeBaseFalseLeavesTheBaseOut() {
    ScalingSweepSpec spec = spec(BaseSize.SMALL, rule(ScalingOp.NL, 8, 16));
    spec.setIncludeBase(false);
    assertThat(codes(spec)).containsExactly("NL8-SM", "NL16-SM");
  }

  @Test
  void gridCrossesAllRulesFirstRuleSlowest() {
    ScalingSweepSpec spec =
        spec(
            BaseSize.SMALL,
            rule(ScalingOp.NL, 8, 16),
            rule(ScalingOp.FF, 1024, 4096),
            rule(ScalingOp.DM, 256, 1024));
    spec.setGrid(true);
    assertThat(codes(spec))
        .containsExactly(
            "SM",
            "NL8-FF1K-DM256-SM",
            "NL8-FF1K-DM1K-SM",
            "NL8-FF4K-DM256-SM",
            "NL8-FF4K-DM1K-SM",
            "NL16-FF1K-DM256-SM",
            "NL16-FF1K-DM1K-SM",
            "NL16-FF4K-DM256-SM",
            "NL16-FF4K-DM1K-SM");
  }

  @Test
  void thousandTrialGridHasUniqueNamesAndShapes() {
    Integer[] ten = IntStream.rangeClosed(1, 10).boxed().toArray(Integer[]::new);
    Integer[] widths =
        IntStream.rangeClosed(1, 10).map(i -> 64 * i).boxed().toArray(Integer[]::new);
    ScalingSweepSpec spec =
        spec(
            BaseSize.TINY,
            rule(ScalingOp.EL, ten),
            rule(ScalingOp.DL, ten),
            rule(ScalingOp.FF, widths));
    spec.setGrid(true);
    spec.setIncludeBase(false);
    List<Trial> trials = SweepExpander.expand("a-long-sweep-name-for-a-thousand-trial-grid", spec);
    assertThat(trials).hasSize(1000);
    assertThat(trials.stream().map(Trial::name).distinct()).hasSize(1000);
    assertThat(trials.stream().map(Trial::shape).distinct()).hasSize(1000);
    assertThat(trials).allSatisfy(t -> assertThat(t.name()).hasSizeLessThanOrEqualTo(63));
  }

  @Test
  void skvIsOneTrialAloneAndPartOfEveryGridCombination() {
    assertThat(codes(spec(BaseSize.BASE, rule(ScalingOp.SKV)))).containsExactly("BA", "SKV-BA");
    ScalingSweepSpec grid = spec(BaseSize.BASE, rule(ScalingOp.NL, 16, 24), rule(ScalingOp.SKV));
    grid.setGrid(true);
    assertThat(codes(grid)).containsExactly("BA", "NL16-SKV-BA", "NL24-SKV-BA");
  }

  @Test
  void variantsNameTheirOwnBaseAndGetTheOverrides() {
    ScalingSweepSpec spec = spec(BaseSize.SMALL);
    ShapeSpec overrides = new ShapeSpec();
    overrides.setDFF(1000);
    spec.setOverrides(overrides);
    spec.setVariants(List.of("NL16-SM", "DM2K-BA"));
    List<Trial> trials = SweepExpander.expand("s", spec);
    assertThat(trials).extracting(Trial::code).containsExactly("SM", "NL16-SM", "DM2K-BA");
    Shape dm2kBase = trials.get(2).shape();
    assertThat(dm2kBase.encoderLayers()).isEqualTo(12);
    assertThat(dm2kBase.dModel()).isEqualTo(2048);
    assertThat(dm2kBase.dFF()).isEqualTo(1000);
    assertThat(trials).allSatisfy(t -> assertThat(t.shape().dFF()).isEqualTo(1000));
  }

  @Test
  void sameShapeTwiceIsTrainedOnceUnderItsFirstCode() {
    // NL6 and EL6 are Small itself; the variant repeats a rule's trial.
    ScalingSweepSpec spec =
        spec(BaseSize.SMALL, rule(ScalingOp.NL, 6, 16), rule(ScalingOp.EL, 6, 16));
    spec.setVariants(List.of("NL16-SM", "DL16-EL16-SM", "NL24-SM"));
    assertThat(codes(spec)).containsExactly("SM", "NL16-SM", "EL16-SM", "NL24-SM");
  }

  private static int vocabSize(ScalingSweepSpec spec) {
    return SweepExpander.expand("s", spec).get(0).shape().vocabSize();
  }

  @Test
  void vocabularyFollowsTheTokenizerUnlessOverridden() {
    ScalingSweepSpec spec = spec(BaseSize.SMALL);
    assertThat(vocabSize(spec)).isEqualTo(ByteVocabulary.SIZE);

    PretrainSpec pretrain = new PretrainSpec();
    spec.setPretrain(pretrain);
    assertThat(vocabSize(spec)).isEqualTo(ByteVocabulary.SIZE);

    TokenizerSpec tokenizer = new TokenizerSpec();
    pretrain.setTokenizer(tokenizer);
    assertThat(vocabSize(spec)).isEqualTo(ByteVocabulary.SIZE);
    tokenizer.setType(TokenizerType.BYTES);
    assertThat(vocabSize(spec)).isEqualTo(ByteVocabulary.SIZE);
    tokenizer.setType(TokenizerType.HUGGINGFACE);
    assertThat(vocabSize(spec)).isEqualTo(Shape.T5_VOCAB_SIZE);

    ShapeSpec overrides = new ShapeSpec();
    overrides.setVocabSize(1000);
    spec.setOverrides(overrides);
    assertThat(vocabSize(spec)).isEqualTo(1000);
  }

  @Test
  void overridesApplyFieldByFieldAndKvHeadsFollowsNumHeads() {
    ScalingSweepSpec spec = spec(BaseSize.SMALL, rule(ScalingOp.NL, 16));
    ShapeSpec overrides = new ShapeSpec();
    overrides.setNumHeads(4);
    overrides.setDecoderLayers(2);
    spec.setOverrides(overrides);
    List<Trial> trials = SweepExpander.expand("s", spec);
    Shape base = trials.get(0).shape();
    assertThat(base)
        .isEqualTo(new Shape(6, 2, 512, 2048, 64, 4, 4, false, ByteVocabulary.SIZE));
    // The operator still wins over the override it touches.
    assertThat(trials.get(1).shape().decoderLayers()).isEqualTo(16);

    overrides.setKvHeads(2);
    overrides.setTiedKV(true);
    assertThat(SweepExpander.expand("s", spec).get(0).shape())
        .extracting(Shape::numHeads, Shape::kvHeads, Shape::tiedKV)
        .containsExactly(4, 2, true);
  }

  @Test
  void missingBaseListsTheAllowedSizes() {
    assertFailsAt(spec(null), "spec.base")
        .hasMessageContaining("tiny, mini, small, base, large, xl, xxl, xxxl");
  }

  @Test
  void ruleWithoutOperatorListsTheOperators() {
    ScalingRule noOp = rule(null, 8);
    assertFailsAt(spec(BaseSize.SMALL, rule(ScalingOp.NL, 8), noOp), "spec.scaling[1].op")
        .hasMessageContaining("allowed NL, EL, DL, DM, KV, NH, FF, SH, SKV");
  }

  @Test
  void ruleValuesMustBePresentAndPositive() {
    ScalingRule nl8 = rule(ScalingOp.NL, 8);
    assertFailsAt(spec(BaseSize.SMALL, nl8, rule(ScalingOp.FF)), "spec.scaling[1].values")
        .hasMessageContaining("FF needs at least one value");
    assertFailsAt(spec(BaseSize.SMALL, nl8, rule(ScalingOp.FF, 4096, 0)), "spec.scaling[1].values")
        .hasMessageContaining("spec.scaling[1].values[1] must be a whole number of at least 1");
    assertFailsAt(spec(BaseSize.SMALL, rule(ScalingOp.SKV, 1)), "spec.scaling[0].values")
        .hasMessageContaining("SKV is a switch");
  }

  @Test
  void unreadableVariantIsReportedWithItsIndex() {
    ScalingSweepSpec spec = spec(BaseSize.SMALL);
    spec.setVariants(List.of("XX16-SM"));
    assertFailsAt(spec, "spec.variants[0]")
        .hasMessageContaining("unknown operator 'XX' in 'XX16-SM': allowed NL, EL");
  }

  @Test
  void overridesThatMakeNoShapeNameTheOverride() {
    ScalingSweepSpec spec = spec(BaseSize.SMALL);
    ShapeSpec overrides = new ShapeSpec();
    overrides.setKvHeads(3);
    spec.setOverrides(overrides);
    assertFailsAt(spec, "spec.overrides.kvHeads")
        .hasMessageContaining("kvHeads must divide numHeads");

    overrides.setKvHeads(null);
    overrides.setDModel(0);
    assertFailsAt(spec, "spec.overrides.dModel").hasMessageContaining("dModel must be at least 1");
  }

  @Test
  void invalidTrialNamesItsCodeAndShapeField() {
    ScalingSweepSpec rules = spec(BaseSize.SMALL, rule(ScalingOp.NL, 8), rule(ScalingOp.SH, 2, 3));
    assertFailsAt(rules, "spec.scaling[1].values")
        .hasMessageContaining("SH3-SM")
        .hasMessageContaining("kvHeads must divide numHeads");

    ScalingSweepSpec variants = spec(BaseSize.SMALL);
    variants.setVariants(List.of("NL16-SM", "SH5-BA"));
    assertFailsAt(variants, "spec.variants[1]").hasMessageContaining("SH5-BA");

    ScalingSweepSpec grid = spec(BaseSize.SMALL, rule(ScalingOp.NH, 8, 6), rule(ScalingOp.SH, 4));
    grid.setGrid(true);
    assertFailsAt(grid, "spec.scaling").hasMessageContaining("NH6-SH4-SM");
  }

  @Test
  void gridTakesEachOperatorOnce() {
    ScalingSweepSpec grid =
        spec(
            BaseSize.SMALL,
            rule(ScalingOp.NL, 8),
            rule(ScalingOp.FF, 1024),
            rule(ScalingOp.NL, 16));
    grid.setGrid(true);
    assertFailsAt(grid, "spec.scaling[2].op").hasMessageContaining("repeats NL of spec.scaling[0]");
  }

  @Test
  void sweepThatExpandsToNothingIsRejected() {
    ScalingSweepSpec spec = spec(BaseSize.SMALL);
    spec.setIncludeBase(false);
    spec.setVariants(List.of());
    assertFailsAt(spec, "spec").hasMessageContaining("expands to no trials");
  }

  @Test
  void runawayGridIsRejectedBeforeItIsBuilt() {
    Integer[] many = IntStream.rangeClosed(1, 64).boxed().toArray(Integer[]::new);
    ScalingSweepSpec spec =
        spec(
            BaseSize.TINY,
            rule(ScalingOp.EL, many),
            rule(ScalingOp.DL, many),
            rule(ScalingOp.NH, many));
    spec.setGrid(true);
    assertFailsAt(spec, "spec.scaling")
        .hasMessageContaining("more than " + SweepExpander.MAX_TRIALS);
  }
}
