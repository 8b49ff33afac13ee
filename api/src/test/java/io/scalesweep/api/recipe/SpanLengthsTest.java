package io.scalesweep.api.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SpanLengthsTest {

  // Expected values from T5's random_spans_helper (python, extra tokens per span 1/1); 1024 at
  // mean span 20 is ByT5's published 189 targets.
  @ParameterizedTest
  @CsvSource({
    "512, 0.15, 3.0, 568, 114",
    "1024, 0.15, 3.0, 1137, 229",
    "1024, 0.15, 20.0, 1193, 189",
    "128, 0.15, 3.0, 141, 29",
    "2048, 0.15, 3.0, 2274, 456",
    "64, 0.3, 5.0, 83, 31",
    "256, 0.5, 3.0, 382, 256",
  })
  void derivesRawAndTargetLengthsAsT5(
      int inputs, double density, double span, int raw, int targets) {
    SpanLengths l = SpanLengths.forInputLength(inputs, density, span);
    assertThat(l.rawLength()).isEqualTo(raw);
    assertThat(l.targetLength()).isEqualTo(targets);
    assertThat(l.inputLength()).isEqualTo(inputs);
  }

  @Test
  void t5DefaultNeeds28Sentinels() {
    assertThat(SpanLengths.forInputLength(512, 0.15, 3.0).noiseSpans()).isEqualTo(28);
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> SpanLengths.forInputLength(512, 0.0, 3.0))
        .hasMessageContaining("noiseDensity");
    assertThatThrownBy(() -> SpanLengths.forInputLength(512, 0.15, 0.5))
        .hasMessageContaining("meanNoiseSpanLength");
  }
}
