package io.scalesweep.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.scalesweep.api.cost.ParamCounter;
import io.scalesweep.api.shape.BaseSize;
import io.scalesweep.api.shape.ByteVocabulary;
import io.scalesweep.api.shape.Shape;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The DJL model holds exactly the parameters the calculator counts, under unique names. */
class T5ParameterCountTest {

  static Stream<Shape> shapes() {
    Shape small = BaseSize.SMALL.shape();
    Shape base = BaseSize.BASE.shape();
    return Stream.of(
        BaseSize.TINY.shape(),
        BaseSize.MINI.shape(),
        small,
        base,
        BaseSize.LARGE.shape(),
        BaseSize.XL.shape(),
        BaseSize.XXL.shape(),
        small.withEncoderLayers(16).withDecoderLayers(16), // NL16-SM
        small.withEncoderLayers(32), // EL32-SM
        base.withDModel(2048), // DM2K-BA
        base.withKvHeads(1), // SH1-BA: multi-query
        base.withKvHeads(4), // SH4-BA: grouped
        base.withTiedKV(true), // SKV-BA
        small.withKvHeads(2).withTiedKV(true).withDKV(128), // SH, SKV and KV at once
        new Shape(2, 3, 32, 48, 16, 4, 4, false, ByteVocabulary.SIZE)); // the parity fixture
  }

  @ParameterizedTest
  @MethodSource("shapes")
  void parameterSizesAddUpToTheCalculatorsCount(Shape shape) {
    T5Model model = new T5Model(shape);

    assertThat(model.parameterCount()).isEqualTo(ParamCounter.count(shape));
  }

  @ParameterizedTest
  @MethodSource("shapes")
  void everyParameterHasExactlyOneHuggingFaceName(Shape shape) {
    T5Model model = new T5Model(shape);
    List<Parameter> all = model.getParameters().values();
    Set<Parameter> named = Collections.newSetFromMap(new IdentityHashMap<>());
    named.addAll(model.namedParameters().values());

    assertThat(named).hasSameSizeAs(all).containsAll(all);
  }

  @Test
  void theCountMatchesTheShapeTableOfTheReferenceNotes() {
    assertThat(new T5Model(BaseSize.TINY.shape()).parameterCount()).isEqualTo(15_570_688L);
    assertThat(new T5Model(BaseSize.SMALL.shape()).parameterCount()).isEqualTo(60_506_624L);
    assertThat(new T5Model(BaseSize.BASE.shape()).parameterCount()).isEqualTo(222_903_552L);
  }

  @Test
  void sharedAndTiedKeyValueHeadsShrinkTheKeyAndValueProjections() {
    Shape base = BaseSize.BASE.shape();
    var plain = new T5Model(base).namedParameters();
    var multiQuery = new T5Model(base.withKvHeads(1)).namedParameters();
    var tied = new T5Model(base.withTiedKV(true)).namedParameters();
    String attention = "encoder.block.0.layer.0.SelfAttention.";

    assertThat(plain.get(attention + "k.weight").getShape().getShape()).containsExactly(768, 768);
    assertThat(multiQuery.get(attention + "k.weight").getShape().getShape()).containsExactly(64, 768);
    assertThat(multiQuery.get(attention + "q.weight").getShape().getShape()).containsExactly(768, 768);
    assertThat(tied).containsKey(attention + "kv.weight").doesNotContainKey(attention + "k.weight");
  }

  @Test
  void initialisedArraysHaveTheDeclaredSizes() {
    Shape shape = new Shape(2, 3, 32, 48, 16, 4, 2, true, ByteVocabulary.SIZE);
    T5Model model = new T5Model(shape);
    try (NDManager manager = NDManager.newBaseManager()) {
      model.initialize(manager);
      long allocated =
          model.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
      assertThat(allocated).isEqualTo(ParamCounter.count(shape));
    }
  }
}
