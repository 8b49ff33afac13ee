package io.scalesweep.api.recipe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpanLengthsTest {

  @Test
  void t5DefaultsGive568RawTokensAnd114Targets() {
    assertThat(SpanLengths.forInputLength(512, 0.15, 3.0)).isEqualTo(new SpanLengths(568, 512, 114));
  }

  @Test
  void inputLengthIsExactForManyLengths() {
    for (int len = 8; len <= 1024; len += 7) {
      SpanLengths l = SpanLengths.forInputLength(len, 0.15, 3.0);
      int noise = SpanLengths.noiseTokens(l.rawTokens(), 0.15);
      int spans = SpanLengths.noiseSpans(l.rawTokens(), 0.15, 3.0);
      assertThat(l.rawTokens() - noise + spans + 1).as("input length for %d", len).isLessThanOrEqualTo(len);
      assertThat(l.targetLength()).isEqualTo(noise + spans + 1);
      // the next raw length would overflow the input
      int next = l.rawTokens() + 1;
      assertThat(next - SpanLengths.noiseTokens(next, 0.15) + SpanLengths.noiseSpans(next, 0.15, 3.0) + 1)
          .isGreaterThan(len);
    }
  }

  @Test
  void shortInputsUsedByTheQuickstart() {
    // by hand: 141 raw -> 21 noise (21.15), 7 spans -> 120 + 7 + 1 = 128 inputs, 21 + 7 + 1 = 29
    // targets; 142 raw would give 121 + 7 + 1 = 129 inputs, one too many.
    assertThat(SpanLengths.forInputLength(128, 0.15, 3.0)).isEqualTo(new SpanLengths(141, 128, 29));
    assertThat(SpanLengths.forInputLength(64, 0.15, 3.0)).isEqualTo(new SpanLengths(70, 64, 14));
  }
}
