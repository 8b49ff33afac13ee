package io.scalesweep.trainer.tasks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Random;

/**
 * {@code boolexpr}: the truth value of a nested boolean expression such as {@code not ((true or
 * false) and false)}. Depth 1 has only ten distinct expressions, too few to hold any out for
 * validation, so the task starts at depth 2.
 */
final class BoolExprTask implements SyntheticTask {

  private static final ExpressionTrees TREES =
      new ExpressionTrees(
          List.of(
              new ExpressionTrees.Operator("not", true, (a, b) -> 1 - a),
              new ExpressionTrees.Operator("and", false, (a, b) -> a & b),
              new ExpressionTrees.Operator("or", false, (a, b) -> a | b)),
          2,
          v -> v == 1 ? "true" : "false");

  @Override
  public String name() {
    return "boolexpr";
  }

  @Override
  public List<Integer> depths() {
    return List.of(2, 3, 4, 5);
  }

  @Override
  public List<String> labels() {
    return List.of("false", "true");
  }

  @Override
  public ObjectNode draw(int depth, String label, Random random) {
    ExpressionTrees.Expression e = TREES.draw(depth, random);
    boolean value = e.value() == 1;
    if (e.text().length() > MAX_EXPRESSION_CHARS || !String.valueOf(value).equals(label)) {
      return null;
    }
    ObjectNode record = JsonNodeFactory.instance.objectNode();
    return record.put("expression", e.text()).put("label", value).put("depth", depth);
  }
}
