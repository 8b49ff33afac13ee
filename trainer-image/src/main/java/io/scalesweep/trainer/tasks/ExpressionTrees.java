package io.scalesweep.trainer.tasks;

import java.util.List;
import java.util.Random;
import java.util.function.IntBinaryOperator;
import java.util.function.IntFunction;

/**
 * Random expressions of an exact nesting depth over small integer values, shared by the boolean
 * and the arithmetic task. One operand of each operator has the full remaining depth and the
 * other a random smaller one, so depth is what varies and trees stay short enough for byte-level
 * inputs. Every compound operand is parenthesised, so reading needs no precedence rules.
 */
final class ExpressionTrees {

  /** An operator; a unary one ignores its second argument. */
  record Operator(String symbol, boolean unary, IntBinaryOperator apply) {}

  record Expression(String text, int value, boolean compound) {}

  private final List<Operator> operators;
  private final int leafValues;
  private final IntFunction<String> leafText;

  /**
   * @param leafValues leaves take values {@code 0 .. leafValues-1}, written by {@code leafText}
   */
  ExpressionTrees(List<Operator> operators, int leafValues, IntFunction<String> leafText) {
    this.operators = List.copyOf(operators);
    this.leafValues = leafValues;
    this.leafText = leafText;
  }

  Expression draw(int depth, Random random) {
    if (depth == 0) {
      int value = random.nextInt(leafValues);
      return new Expression(leafText.apply(value), value, false);
    }
    Operator op = operators.get(random.nextInt(operators.size()));
    Expression deep = draw(depth - 1, random);
    if (op.unary()) {
      return new Expression(
          op.symbol() + " " + operand(deep), op.apply().applyAsInt(deep.value(), 0), true);
    }
    Expression shallow = draw(random.nextInt(depth), random);
    boolean deepFirst = random.nextBoolean();
    Expression left = deepFirst ? deep : shallow;
    Expression right = deepFirst ? shallow : deep;
    return new Expression(
        operand(left) + " " + op.symbol() + " " + operand(right),
        op.apply().applyAsInt(left.value(), right.value()),
        true);
  }

  private static String operand(Expression e) {
    return e.compound() ? "(" + e.text() + ")" : e.text();
  }
}
