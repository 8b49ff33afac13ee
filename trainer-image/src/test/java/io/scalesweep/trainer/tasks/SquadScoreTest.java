package io.scalesweep.trainer.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SquadScoreTest {

  @Test
  void normalisationLowersDropsPunctuationAndArticlesAndCollapsesSpace() {
    assertThat(SquadScore.normalize("The  Eiffel\tTower!")).isEqualTo("eiffel tower");
    assertThat(SquadScore.normalize("  a cat, an owl and THE dog. ")).isEqualTo("cat owl and dog");
    // Punctuation is deleted, not replaced by a space, exactly as the script does.
    assertThat(SquadScore.normalize("U.S.-based don't")).isEqualTo("usbased dont");
  }

  @Test
  void articlesGoOnlyAsWholeWords() {
    assertThat(SquadScore.normalize("theatre anthem abba")).isEqualTo("theatre anthem abba");
    assertThat(SquadScore.normalize("a")).isEmpty();
    // Removing punctuation first can make an article a whole word: "(the)" -> "the" -> "".
    assertThat(SquadScore.normalize("(the) end")).isEqualTo("end");
  }

  @Test
  void wordBoundariesAreUnicodeAsInPython3() {
    // Python's \b sees "é" as a letter: the "a" in "éa" is no word, nor is the "the" in "èthe".
    assertThat(SquadScore.normalize("éa èthe")).isEqualTo("éa èthe");
    // A non-ASCII apostrophe is no ASCII punctuation: it stays, and ends the word "the".
    assertThat(SquadScore.normalize("the’s")).isEqualTo("’s");
    // No-break spaces separate tokens as Python's str.split() does.
    assertThat(SquadScore.normalize("new\u00a0york")).isEqualTo("new york");
  }

  @Test
  void exactMatchComparesNormalisedTexts() {
    assertThat(SquadScore.exactMatch("the Denver Broncos", "Denver Broncos!")).isEqualTo(1);
    assertThat(SquadScore.exactMatch("Denver", "Denver Broncos")).isZero();
    assertThat(SquadScore.exactMatch("", "")).isEqualTo(1);
    assertThat(SquadScore.exactMatch("the", "")).isEqualTo(1);
  }

  @Test
  void tokenF1CountsSharedTokensWithMultiplicity() {
    // prediction "denver broncos" vs "broncos of denver": 2 shared, P = 2/2, R = 2/3, F1 = 0.8
    assertThat(SquadScore.f1("Denver Broncos", "the Broncos of Denver"))
        .isCloseTo(0.8, within(1e-12));
    // prediction "a a a b" -> "b" after articles go; answer "b b": 1 shared, P = 1, R = 1/2
    assertThat(SquadScore.f1("a a a b", "b b")).isCloseTo(2.0 / 3, within(1e-12));
    // "x x y" vs "x y y": shared x once and y once, P = R = 2/3
    assertThat(SquadScore.f1("x x y", "x y y")).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(SquadScore.f1("cat", "dog")).isZero();
  }

  @Test
  void emptyAnswersScoreOneOnlyAgainstEachOther() {
    assertThat(SquadScore.f1("", "")).isEqualTo(1);
    assertThat(SquadScore.f1("the!", "a")).isEqualTo(1);
    assertThat(SquadScore.f1("", "Paris")).isZero();
    assertThat(SquadScore.f1("Paris", "")).isZero();
  }

  @Test
  void corpusScoresTakeTheBestAnswerPerExampleOnAHundredScale() {
    List<String> predictions = List.of("Denver Broncos", "Paris", "blue");
    List<List<String>> answers =
        List.of(
            List.of("the Broncos of Denver", "Denver Broncos"),
            List.of("London", "Rome"),
            List.of("light blue"));
    assertThat(SquadScore.exactMatch(predictions, answers)).isCloseTo(100.0 / 3, within(1e-9));
    // F1s: 1 (second answer), 0, 2 * (1 * 0.5) / 1.5 = 2/3
    assertThat(SquadScore.f1(predictions, answers))
        .isCloseTo(100 * (1 + 0 + 2.0 / 3) / 3, within(1e-9));
  }
}
