package io.scalesweep.api.cost;

import java.math.BigDecimal;

/**
 * A parameter count as the paper prints it ("61M", "2.9B") and the precision it was printed to:
 * an exact count matches when rounding it to that precision gives the printed figure, that is
 * when it lies within half a unit of the last significant digit.
 *
 * <p>The paper's two tables round differently. Table 4 prints every digit it shows ("50M" means
 * 49.5M to 50.5M). Table 1 pads with zeros to one or two significant digits ("60M", "220M",
 * "30B"), so there a trailing zero of a whole number is not significant ("60M" means 55M to 65M).
 * Small's exact 60,506,624 is therefore both Table 4's 61M and Table 1's 60M.
 */
record PrintedCount(String text, BigDecimal value, BigDecimal unit) {

  /** Table 4 style: every printed digit is significant. */
  static PrintedCount everyDigit(String text) {
    BigDecimal number = number(text);
    return new PrintedCount(text, number.multiply(scale(text)), ulp(number).multiply(scale(text)));
  }

  /** Table 1 style: trailing zeros of a whole number are padding. */
  static PrintedCount paddedWithZeros(String text) {
    BigDecimal number = number(text);
    return new PrintedCount(
        text, number.multiply(scale(text)), ulp(number.stripTrailingZeros()).multiply(scale(text)));
  }

  /** Whether {@code exact}, rounded to this precision, prints as this figure. */
  boolean matches(long exact) {
    return distance(exact).compareTo(halfUnit()) <= 0;
  }

  BigDecimal distance(long exact) {
    return BigDecimal.valueOf(exact).subtract(value).abs();
  }

  BigDecimal halfUnit() {
    return unit.divide(BigDecimal.valueOf(2));
  }

  private static BigDecimal number(String text) {
    return new BigDecimal(text.substring(0, text.length() - 1));
  }

  private static BigDecimal scale(String text) {
    return switch (text.charAt(text.length() - 1)) {
      case 'M' -> BigDecimal.TEN.pow(6);
      case 'B' -> BigDecimal.TEN.pow(9);
      default -> throw new IllegalArgumentException("not a count in M or B: " + text);
    };
  }

  /** One unit in the last place: 10^-scale, where a negative scale means trailing zeros. */
  private static BigDecimal ulp(BigDecimal number) {
    return BigDecimal.ONE.scaleByPowerOfTen(-number.scale());
  }
}
