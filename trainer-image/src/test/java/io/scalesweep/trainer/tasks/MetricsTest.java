package io.scalesweep.trainer.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.scalesweep.api.v1alpha1.Metric;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {

  @Test
  void accuracyComparesTrimmedTextsExactly() {
    List<String> predictions = List.of(" True", "false", "False\n", "True");
    List<String> references = List.of("True", "False", "False", "False");
    // "false" is not "False": the model must learn the task's label words.
    assertThat(Metrics.accuracy(predictions, references)).isEqualTo(50.0);
  }

  @Test
  void macroF1AveragesPerClassF1OverReferenceAndPredictedClasses() {
    List<String> references = List.of("a", "a", "a", "b", "b", "c");
    List<String> predictions = List.of("a", "a", "b", "b", "c", "c");
    // a: tp 2 fp 0 fn 1 -> 4/5; b: tp 1 fp 1 fn 1 -> 2/4; c: tp 1 fp 1 fn 0 -> 2/3
    assertThat(Metrics.f1Macro(predictions, references))
        .isCloseTo(100 * (0.8 + 0.5 + 2.0 / 3) / 3, within(1e-9));
  }

  @Test
  void macroF1CountsAClassOnlyPredictedAsAZero() {
    List<String> references = List.of("yes", "no", "yes", "no");
    List<String> predictions = List.of("yes", "no", "yes", "maybe");
    // yes: 1; no: tp 1 fn 1 -> 2/3; maybe (never right): 0
    assertThat(Metrics.f1Macro(predictions, references))
        .isCloseTo(100 * (1 + 2.0 / 3 + 0) / 3, within(1e-9));
    assertThat(Metrics.f1Macro(references, references)).isEqualTo(100.0);
  }

  @Test
  void scoreDispatchesOnTheDeclaredMetric() {
    List<String> predictions = List.of("the cat", "dog house");
    List<List<String>> references = List.of(List.of("cat"), List.of("dog"));
    assertThat(Metrics.score(Metric.ACCURACY, predictions, references)).isZero();
    assertThat(Metrics.score(Metric.EXACT_MATCH, predictions, references)).isEqualTo(50.0);
    assertThat(Metrics.score(Metric.SQUAD_F1, predictions, references))
        .isCloseTo(100 * (1 + 2.0 / 3) / 2, within(1e-9));
    assertThat(Metrics.score(Metric.F1_MACRO, List.of("x"), List.of(List.of("x"))))
        .isEqualTo(100.0);
  }

  @Test
  void mismatchedOrEmptyInputsAreRejected() {
    assertThatThrownBy(() -> Metrics.accuracy(List.of("a"), List.of("a", "b")))
        .hasMessageContaining("1 predictions for 2 references");
    assertThatThrownBy(() -> Metrics.f1Macro(List.of(), List.of()))
        .hasMessageContaining("no predictions");
    assertThatThrownBy(
            () -> Metrics.score(Metric.ACCURACY, List.of("a"), List.of(List.of("a", "b"))))
        .hasMessageContaining("exactly one reference");
    assertThatThrownBy(() -> SquadScore.f1(List.of("a"), List.of(List.of())))
        .hasMessageContaining("no accepted answer");
  }
}
