package io.scalesweep.trainer.data;

import io.scalesweep.api.recipe.SpanLengths;
import static org.assertj.core.api.Assertions.assertThat;

import io.scalesweep.api.shape.ByteVocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpanCorruptionTest {

  private final ByteTokenizer bytes = new ByteTokenizer();
  private final SpanCorruption t5 = new SpanCorruption(0.15, 3.0, bytes);

  @Test
  void sameSeedSameSpansOtherSeedOtherSpans() {
    int[] tokens = rawTokens(568);
    Example a = t5.corrupt(tokens, 42);
    Example b = t5.corrupt(tokens, 42);
    Example c = t5.corrupt(tokens, 43);
    assertThat(a.inputs()).isEqualTo(b.inputs());
    assertThat(a.targets()).isEqualTo(b.targets());
    assertThat(a.inputs()).isNotEqualTo(c.inputs());
  }

  @Test
  void maskHasT5sCountsAndStartsCleanEndsNoisy() {
    for (long seed = 0; seed < 50; seed++) {
      boolean[] mask = t5.noiseMask(568, seed);
      assertThat(count(mask)).isEqualTo(85); // round(568 * 0.15)
      assertThat(spans(mask)).isEqualTo(28); // round(85 / 3)
      assertThat(mask[0]).isFalse();
      assertThat(mask[567]).isTrue();
    }
  }

  @Test
  void spanLengthsAverageTheMeanAndVary() {
    List<Integer> lengths = new ArrayList<>();
    for (long seed = 0; seed < 200; seed++) {
      boolean[] mask = t5.noiseMask(568, seed);
      int run = 0;
      for (int i = 0; i <= mask.length; i++) {
        if (i < mask.length && mask[i]) {
          run++;
        } else if (run > 0) {
          lengths.add(run);
          run = 0;
        }
      }
    }
    double mean = lengths.stream().mapToInt(Integer::intValue).average().orElseThrow();
    assertThat(mean).isCloseTo(85.0 / 28, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(lengths.stream().distinct().count()).isGreaterThan(4);
  }

  // Every configuration must fill the encoder exactly from a chunk of the derived raw length,
  // or the pipeline would truncate or waste input positions.
  @ParameterizedTest
  @CsvSource({
    "512, 0.15, 3.0", "1024, 0.15, 3.0", "128, 0.15, 3.0", "64, 0.3, 5.0", "256, 0.5, 3.0",
    "1024, 0.15, 20.0"
  })
  void rawChunkOfDerivedLengthFillsInputsAndTargetsExactly(
      int inputs, double density, double span) {
    SpanLengths l = SpanLengths.forInputLength(inputs, density, span);
    SpanCorruption c = new SpanCorruption(density, span, bytes);
    for (long seed = 0; seed < 5; seed++) {
      Example e = c.corrupt(rawTokens(l.rawLength()), seed);
      assertThat(e.inputs()).hasSize(inputs);
      assertThat(e.targets()).hasSize(l.targetLength());
    }
  }

  @Test
  void inputsAndTargetsTogetherRebuildTheChunkAndEndInEos() {
    int[] tokens = rawTokens(568);
    Example e = t5.corrupt(tokens, 7);
    assertThat(e.inputs()[e.inputs().length - 1]).isEqualTo(ByteVocabulary.EOS);
    assertThat(e.targets()[e.targets().length - 1]).isEqualTo(ByteVocabulary.EOS);
    // inputs: text <s0> text <s1> ... ; targets: <s0> noise <s1> noise ...
    assertThat(e.targets()[0]).isEqualTo(ByteVocabulary.sentinel(0));
    assertThat(rebuild(e)).isEqualTo(tokens);
    assertThat(e.inputs()).contains(ByteVocabulary.sentinel(27)).doesNotContain(ByteVocabulary.sentinel(28));
  }

  @Test
  void handSizedExampleHasTheT5Layout() {
    // 10 tokens at density 0.3 / span 3: 3 noise tokens in one span, so inputs hold one
    // sentinel in place of three consecutive tokens and the targets are <s0> + those three.
    SpanCorruption c = new SpanCorruption(0.3, 3.0, bytes);
    int[] tokens = rawTokens(10);
    Example e = c.corrupt(tokens, 1);
    int s0 = ByteVocabulary.sentinel(0);
    assertThat(e.inputs()).hasSize(10 - 3 + 1 + 1).contains(s0);
    assertThat(e.targets()).hasSize(1 + 3 + 1);
    int at = IntStream.range(0, e.inputs().length).filter(i -> e.inputs()[i] == s0).findFirst().getAsInt();
    assertThat(new int[] {e.targets()[1], e.targets()[2], e.targets()[3]})
        .containsExactly(tokens[at], tokens[at + 1], tokens[at + 2]);
  }

  @Test
  void oneAndTwoTokenChunksStillCorrupt() {
    Example one = t5.corrupt(rawTokens(1), 3);
    assertThat(rebuild(one)).isEqualTo(rawTokens(1));
    Example two = t5.corrupt(rawTokens(2), 3);
    assertThat(rebuild(two)).isEqualTo(rawTokens(2));
    assertThat(two.targets()).hasSize(3); // <s0>, the second token, EOS
  }

  /**
   * Substitutes each input sentinel by the target tokens that follow the same sentinel; the
   * final EOS of each side is dropped (EOS inside is a document boundary and kept).
   */
  static int[] rebuild(Example e) {
    int sentinelFloor = ByteVocabulary.SIZE - ByteVocabulary.SENTINELS;
    int[] targets = java.util.Arrays.copyOf(e.targets(), e.targets().length - 1);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < e.inputs().length - 1; i++) {
      int t = e.inputs()[i];
      if (t >= sentinelFloor) {
        for (int k = indexOf(targets, t) + 1; k < targets.length && targets[k] < sentinelFloor; k++) {
          out.add(targets[k]);
        }
      } else {
        out.add(t);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int indexOf(int[] a, int v) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    throw new AssertionError("sentinel " + v + " missing from targets");
  }

  private static int[] rawTokens(int n) {
    return IntStream.range(0, n).map(i -> ByteVocabulary.BYTE_OFFSET + (i % 256)).toArray();
  }

  private static int count(boolean[] mask) {
    int n = 0;
    for (boolean b : mask) {
      n += b ? 1 : 0;
    }
    return n;
  }

  private static int spans(boolean[] mask) {
    int n = 0;
    for (int i = 0; i < mask.length; i++) {
      if (mask[i] && (i == 0 || !mask[i - 1])) {
        n++;
      }
    }
    return n;
  }
}
