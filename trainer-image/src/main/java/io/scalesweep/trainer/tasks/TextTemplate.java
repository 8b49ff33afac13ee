package io.scalesweep.trainer.tasks;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;

/**
 * A text with {@code {field}} placeholders, such as {@code boolq question: {question}}. Doubled
 * braces stand for literal ones, as in Python's str.format, so a template can still contain
 * braces; any other brace is an error, because a typo like {@code {question} passage: passage}}
 * would otherwise put stray text into every example.
 */
public final class TextTemplate {

  private final String text;
  /** Literal pieces around the placeholders: always one more than {@link #placeholders}. */
  private final List<String> literals;
  private final List<String> placeholders;

  private TextTemplate(String text, List<String> literals, List<String> placeholders) {
    this.text = text;
    this.literals = literals;
    this.placeholders = placeholders;
  }

  /**
   * @throws IllegalArgumentException saying what is wrong and at which character
   */
  public static TextTemplate parse(String text) {
    List<String> literals = new ArrayList<>();
    List<String> placeholders = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean doubled = i + 1 < text.length() && text.charAt(i + 1) == c;
      if ((c == '{' || c == '}') && doubled) {
        literal.append(c);
        i++;
      } else if (c == '}') {
        throw new IllegalArgumentException(
            "unmatched '}' at character " + (i + 1) + " (write '}}' for a literal brace)");
      } else if (c == '{') {
        int end = text.indexOf('}', i + 1);
        int nested = text.indexOf('{', i + 1);
        if (end < 0 || (nested >= 0 && nested < end)) {
          throw new IllegalArgumentException(
              "unclosed '{' at character " + (i + 1) + " (write '{{' for a literal brace)");
        }
        if (end == i + 1) {
          throw new IllegalArgumentException("empty placeholder '{}' at character " + (i + 1));
        }
        literals.add(literal.toString());
        literal.setLength(0);
        placeholders.add(text.substring(i + 1, end));
        i = end;
      } else {
        literal.append(c);
      }
    }
    literals.add(literal.toString());
    return new TextTemplate(text, List.copyOf(literals), List.copyOf(placeholders));
  }

  /** The field names the template uses, each once, in order of first use. */
  public List<String> fields() {
    return List.copyOf(new LinkedHashSet<>(placeholders));
  }

  /** The text with every placeholder replaced by the value of its field. */
  public String render(Function<String, String> values) {
    StringBuilder out = new StringBuilder(literals.get(0));
    for (int i = 0; i < placeholders.size(); i++) {
      out.append(values.apply(placeholders.get(i))).append(literals.get(i + 1));
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return text;
  }
}
