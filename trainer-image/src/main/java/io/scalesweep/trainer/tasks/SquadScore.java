package io.scalesweep.trainer.tasks;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * Exact match and token F1 as SQuAD's official evaluation script defines them, so scores here
 * compare with published ones: answers are normalised (lower case, ASCII punctuation dropped,
 * the articles a/an/the dropped, whitespace collapsed) and each prediction gets the best score
 * over its accepted answers. As in the SQuAD 2.0 script, an empty prediction for an empty answer
 * scores 1 and an empty one against a non-empty one scores 0.
 */
public final class SquadScore {

  /** Python's string.punctuation, which the script removes character by character. */
  private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
  /** Unicode word boundaries, as Python 3's {@code \b} in the script's regex. */
  private static final Pattern ARTICLES =
      Pattern.compile("\\b(a|an|the)\\b", Pattern.UNICODE_CHARACTER_CLASS);
  /** Python's str.split() splits on Unicode whitespace, no-break space included. */
  private static final Pattern TOKEN = Pattern.compile("\\S+", Pattern.UNICODE_CHARACTER_CLASS);

  private SquadScore() {}

  /** The answer as the script compares it. */
  public static String normalize(String answer) {
    String lower = answer.toLowerCase(Locale.ROOT);
    StringBuilder kept = new StringBuilder(lower.length());
    lower.codePoints().filter(c -> PUNCTUATION.indexOf(c) < 0).forEach(kept::appendCodePoint);
    String noArticles = ARTICLES.matcher(kept).replaceAll(" ");
    return String.join(" ", tokens(noArticles));
  }

  /** 1 when the normalised texts are equal, else 0. */
  public static double exactMatch(String prediction, String answer) {
    return normalize(prediction).equals(normalize(answer)) ? 1 : 0;
  }

  /** Harmonic mean of token precision and recall, tokens counted with multiplicity. */
  public static double f1(String prediction, String answer) {
    List<String> predicted = tokens(normalize(prediction));
    List<String> expected = tokens(normalize(answer));
    if (predicted.isEmpty() || expected.isEmpty()) {
      return predicted.isEmpty() && expected.isEmpty() ? 1 : 0;
    }
    Map<String, Integer> unmatched = new HashMap<>();
    expected.forEach(t -> unmatched.merge(t, 1, Integer::sum));
    int common = 0;
    for (String t : predicted) {
      if (unmatched.getOrDefault(t, 0) > 0) {
        unmatched.merge(t, -1, Integer::sum);
        common++;
      }
    }
    if (common == 0) {
      return 0;
    }
    double precision = (double) common / predicted.size();
    double recall = (double) common / expected.size();
    return 2 * precision * recall / (precision + recall);
  }

  /** Mean over examples of the best exact match over each one's answers, 0 to 100. */
  public static double exactMatch(List<String> predictions, List<List<String>> answers) {
    return Metrics.meanOfBest(predictions, answers, SquadScore::exactMatch);
  }

  /** Mean over examples of the best token F1 over each one's answers, 0 to 100. */
  public static double f1(List<String> predictions, List<List<String>> answers) {
    return Metrics.meanOfBest(predictions, answers, SquadScore::f1);
  }

  private static List<String> tokens(String text) {
    return TOKEN.matcher(text).results().map(MatchResult::group).toList();
  }
}
