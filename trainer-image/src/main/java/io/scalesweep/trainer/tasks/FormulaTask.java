package io.scalesweep.trainer.tasks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * {@code formula}: the value of a boolean formula in symbols only, {@code T F & | ! ( )}, such as
 * {@code !(T&F)|(F|!T)}, answered {@code T} or {@code F} (one byte, one token). The depth is the
 * nesting of {@code &} and {@code |} groups (negation does not count): depth 1 is one operator over two to four (possibly negated) literals, so
 * that even depth 1 has hundreds of distinct formulas; at each deeper level one operand carries
 * the full remaining depth and the other is a literal or a depth-1 group, which keeps formulas
 * short enough for a small model's input.
 */
final class FormulaTask implements SyntheticTask {

  /** Longer draws are drawn again: about 64 byte tokens with the EOS. */
  private static final int MAX_CHARS = 63;

  private final int maxDepth;

  /** @param maxDepth depths run from 1 to this, equally often */
  FormulaTask(int maxDepth) {
    if (maxDepth < 1) {
      throw new IllegalArgumentException("formula depth must be at least 1, got " + maxDepth);
    }
    this.maxDepth = maxDepth;
  }

  @Override
  public String name() {
    return "formula";
  }

  @Override
  public List<Integer> depths() {
    return IntStream.rangeClosed(1, maxDepth).boxed().toList();
  }

  @Override
  public List<String> labels() {
    return List.of("F", "T");
  }

  @Override
  public ObjectNode draw(int depth, String label, Random random) {
    Formula f = formula(depth, random);
    String value = f.value() ? "T" : "F";
    if (f.text().length() > MAX_CHARS || !value.equals(label)) {
      return null;
    }
    return JsonNodeFactory.instance
        .objectNode()
        .put("formula", f.text())
        .put("value", value)
        .put("depth", depth);
  }

  private record Formula(String text, boolean value, boolean compound) {}

  private static Formula formula(int depth, Random random) {
    if (depth == 0) {
      boolean value = random.nextBoolean();
      return negated(new Formula(value ? "T" : "F", value, false), random);
    }
    boolean and = random.nextBoolean();
    int operands = depth == 1 ? 2 + random.nextInt(3) : 2;
    int deep = random.nextInt(operands);
    StringBuilder text = new StringBuilder();
    boolean value = and;
    for (int i = 0; i < operands; i++) {
      Formula operand = formula(i == deep ? depth - 1 : random.nextInt(Math.min(depth, 2)), random);
      if (i > 0) {
        text.append(and ? '&' : '|');
      }
      boolean operandValue = operand.value();
      if (operand.compound()) {
        // a group is negated a quarter of the time: negation is not a level of depth
        boolean not = random.nextInt(4) == 0;
        text.append(not ? "!(" : "(").append(operand.text()).append(')');
        operandValue ^= not;
      } else {
        text.append(operand.text());
      }
      value = and ? value && operandValue : value || operandValue;
    }
    return new Formula(text.toString(), value, true);
  }

  /** A literal is negated half the time; a compound operand is left to its parentheses. */
  private static Formula negated(Formula literal, Random random) {
    if (!random.nextBoolean()) {
      return literal;
    }
    return new Formula("!" + literal.text(), !literal.value(), false);
  }
}
