package io.scalesweep.trainer.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TextTemplateTest {

  @Test
  void rendersPlaceholdersFromTheRecord() {
    TextTemplate t = TextTemplate.parse("boolq question: {question} passage: {passage}");
    assertThat(t.fields()).containsExactly("question", "passage");
    assertThat(t.render(Map.of("question", "is it", "passage", "it is")::get))
        .isEqualTo("boolq question: is it passage: it is");
  }

  @Test
  void aFieldUsedTwiceIsListedOnceAndFilledTwice() {
    TextTemplate t = TextTemplate.parse("{a}-{b}-{a}");
    assertThat(t.fields()).containsExactly("a", "b");
    assertThat(t.render(Map.of("a", "1", "b", "2")::get)).isEqualTo("1-2-1");
  }

  @Test
  void doubledBracesAreLiteralAndDottedNamesAreKept() {
    TextTemplate t = TextTemplate.parse("{{set}} {answers.text.0} }}");
    assertThat(t.fields()).containsExactly("answers.text.0");
    assertThat(t.render(f -> "x")).isEqualTo("{set} x }");
  }

  @Test
  void strayBracesAreErrorsWithTheirPosition() {
    assertThatThrownBy(() -> TextTemplate.parse("{question} passage: passage}"))
        .hasMessageContaining("unmatched '}' at character 28");
    assertThatThrownBy(() -> TextTemplate.parse("question: {question"))
        .hasMessageContaining("unclosed '{' at character 11");
    assertThatThrownBy(() -> TextTemplate.parse("{a {b}"))
        .hasMessageContaining("unclosed '{' at character 1");
    assertThatThrownBy(() -> TextTemplate.parse("x {} y"))
        .hasMessageContaining("empty placeholder");
  }
}
