package io.scalesweep.api.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.scalesweep.api.shape.BaseSize;
import io.scalesweep.api.shape.Shape;
import io.scalesweep.api.shape.Variant;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParamCounterTest {

  private static long params(String code) {
    Variant variant = Variant.parse(code);
    return ParamCounter.count(variant.shape(variant.base().shape()));
  }

  /**
   * Table 4 rows the T5 1.0 formula reproduces to the paper's rounding. Each figure is read at
   * the precision it is printed to (see {@link PrintedCount}): 61M asks for 60.5M..61.5M and 2.9B
   * for 2.85B..2.95B, so a count off by a layer, a wrong d_kv or an untied output embedding fails.
   */
  @ParameterizedTest(name = "{0} prints as {1}")
  @CsvSource({
    "SM, 61M",
    "NL8-MI, 50M",
    "BA, 223M",
    "NL16-SM, 134M",
    "NL24-SM, 193M",
    "LG, 738M",
    "XL, 2.9B",
    "NL36-LG, 1.1B",
    "XXL, 11.3B",
    "NL32-XL, 3.8B"
  })
  void reproducesTable4(String code, String printed) {
    PrintedCount paper = PrintedCount.everyDigit(printed);
    long exact = params(code);
    assertThat(paper.matches(exact))
        .as("%s: %,d params, %s off the paper's %s", code, exact, paper.distance(exact), printed)
        .isTrue();
  }

  /**
   * Four Table 4 rows print more parameters than any T5 1.0 accounting we know gives: 0.3% to
   * 0.6% more, always above, beyond rounding. The neighbouring rows of the same families (NL16-SM,
   * NL24-SM, BA) do reproduce, and no per-layer term fixes all four without breaking Large, so we
   * read these as the paper's own slips. Held here so that a change in the formula that makes
   * them match, or moves them further off, is noticed.
   */
  @ParameterizedTest(name = "{0} is printed as {1}, slightly above the formula")
  @CsvSource({"NL20-SM, 164M", "NL22-SM, 179M", "EL32-SM, 143M", "NL36-BA, 621M"})
  void table4RowsThePaperOvercounts(String code, String printed) {
    PrintedCount paper = PrintedCount.everyDigit(printed);
    long exact = params(code);
    assertThat(paper.matches(exact))
        .as("%s now matches the paper: update the finding", code)
        .isFalse();
    assertThat(BigDecimal.valueOf(exact)).isLessThan(paper.value());
    assertThat(exact / paper.value().doubleValue()).isCloseTo(1.0, within(0.01));
  }

  /** Table 1's coarser figures, read with zero padding: 60M is Small's 60,506,624 too. */
  @ParameterizedTest(name = "{0} prints as {1}")
  @CsvSource({
    "TI, 16M",
    "MI, 31M",
    "SM, 60M",
    "BA, 220M",
    "LG, 738M",
    "XL, 3B",
    "XXL, 11B",
    "XXXL, 30B"
  })
  void reproducesTable1(String code, String printed) {
    PrintedCount paper = PrintedCount.paddedWithZeros(printed);
    long exact = params(code);
    assertThat(paper.matches(exact))
        .as("%s: %,d params, %s off the paper's %s", code, exact, paper.distance(exact), printed)
        .isTrue();
  }

  /** Why the base sizes use d_kv 64: Table 1's printed 32 gives a Small of 51M, not 60M. */
  @Test
  void table1DkvOf32DoesNotReproduceSmall() {
    Shape small32 = BaseSize.SMALL.shape().withDKV(32);
    assertThat(PrintedCount.paddedWithZeros("60M").matches(ParamCounter.count(small32))).isFalse();
  }

  /** The exact counts of reference/t5-shapes.md. */
  @ParameterizedTest(name = "{0} has {1} params")
  @CsvSource({
    "TI, 15570688",
    "MI, 31220480",
    "SM, 60506624",
    "BA, 222903552",
    "LG, 737668096",
    "XL, 2851598336",
    "XXL, 11307321344"
  })
  void exactBaseCounts(String code, long expected) {
    assertThat(params(code)).isEqualTo(expected);
  }

  /**
   * Base has 36 attention blocks (12 encoder self, 12 decoder self, 12 decoder cross), each with
   * key and value projections of 768 x (heads * 64). SH1 keeps one key/value head of the 12.
   */
  @Test
  void sharedHeadsRemoveKeyValueWidth() {
    long removed = 36L * 2 * 768 * (12 - 1) * 64;
    assertThat(params("BA") - params("SH1-BA")).isEqualTo(removed);
    assertThat(params("BA") - params("SH4-BA")).isEqualTo(36L * 2 * 768 * (12 - 4) * 64);
  }

  /** SKV drops one of the two key/value projections in each of Base's 36 attention blocks. */
  @Test
  void tiedKeyValuesRemoveOneProjection() {
    assertThat(params("BA") - params("SKV-BA")).isEqualTo(36L * 768 * 768);
    // Tied and shared at once: one projection of a single head remains per block.
    assertThat(params("BA") - params("SH1-SKV-BA")).isEqualTo(36L * (2 * 768 * 768 - 768 * 64));
  }

  /** The embedding is shared by encoder, decoder and softmax, so it is counted once. */
  @Test
  void vocabularyCountsOnceTimesDModel() {
    Shape small = BaseSize.SMALL.shape();
    Shape smallerVocabulary = small.withVocabSize(Shape.T5_VOCAB_SIZE - 1000);
    long delta = ParamCounter.count(small) - ParamCounter.count(smallerVocabulary);
    assertThat(delta).isEqualTo(1000L * 512);
  }
}
