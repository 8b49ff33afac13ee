package io.scalesweep.trainer.tasks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * {@code arith}: the value modulo 10 of nested arithmetic on digits, such as {@code ((3 + 4) * 2)
 * - 9}, answered as one digit. Working modulo 10 keeps every intermediate a digit, so the
 * difficulty is the nesting and not the size of the numbers.
 */
final class ArithTask implements SyntheticTask {

  private static final int MODULUS = 10;
  private static final ExpressionTrees TREES =
      new ExpressionTrees(
          List.of(
              new ExpressionTrees.Operator("+", false, (a, b) -> Math.floorMod(a + b, MODULUS)),
              new ExpressionTrees.Operator("-", false, (a, b) -> Math.floorMod(a - b, MODULUS)),
              new ExpressionTrees.Operator("*", false, (a, b) -> Math.floorMod(a * b, MODULUS))),
          MODULUS,
          Integer::toString);

  @Override
  public String name() {
    return "arith";
  }

  @Override
  public List<Integer> depths() {
    return List.of(1, 2, 3, 4);
  }

  @Override
  public List<String> labels() {
    return IntStream.range(0, MODULUS).mapToObj(Integer::toString).toList();
  }

  @Override
  public ObjectNode draw(int depth, String label, Random random) {
    ExpressionTrees.Expression e = TREES.draw(depth, random);
    if (e.text().length() > MAX_EXPRESSION_CHARS || !Integer.toString(e.value()).equals(label)) {
      return null;
    }
    ObjectNode record = JsonNodeFactory.instance.objectNode();
    return record.put("expression", e.text()).put("answer", e.value()).put("depth", depth);
  }
}
