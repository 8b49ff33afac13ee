package io.scalesweep.api.shape;

import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One scaling operator applied with its value: one dash-separated part of the paper's notation,
 * such as {@code NL16}, {@code FF4K} or {@code SKV}.
 *
 * @param op the operator
 * @param value the operator's value (layers, width or heads); 0 for {@link ScalingOp#SKV}, which
 *     is a switch
 */
public record ScalingStep(ScalingOp op, int value) {

  /** The notation's {@code K} suffix: {@code FF4K} is a d_ff of 4096. */
  public static final int K = 1024;

  /** Letters, then optionally digits and a K; anything else is reported as unreadable. */
  private static final Pattern TOKEN = Pattern.compile("([A-Za-z]+)(?:([0-9]+)(K?))?");

  static final String ALLOWED_OPS =
      Arrays.stream(ScalingOp.values()).map(Enum::name).collect(Collectors.joining(", "));

  public ScalingStep {
    Objects.requireNonNull(op, "op");
    if (op.takesValue() && value < 1) {
      throw new ShapeException(
          "value", "operator " + op + " needs a value of at least 1 (got " + value + ")");
    }
    if (!op.takesValue() && value != 0) {
      throw new ShapeException("value", "operator " + op + " is a switch and takes no value");
    }
  }

  /** The step of a switch operator ({@link ScalingOp#SKV}), which has no value. */
  public static ScalingStep of(ScalingOp op) {
    return new ScalingStep(op, 0);
  }

  /** Canonical notation: a multiple of 1024 is written with K ({@code 12288 -> FF12K}). */
  public String code() {
    if (!op.takesValue()) {
      return op.name();
    }
    return value % K == 0 ? op.name() + value / K + "K" : op.name() + value;
  }

  public Shape applyTo(Shape shape) {
    return op.apply(shape, value);
  }

  /**
   * Reads one operator part of a variant code.
   *
   * @param variant the whole code, quoted in error messages so the user can find the part
   */
  static ScalingStep parse(String token, String variant) {
    Matcher m = TOKEN.matcher(token);
    if (!m.matches()) {
      throw new ShapeException(
          "variant",
          "cannot read '" + token + "' in '" + variant + "': an operator is its name followed by"
              + " a whole number, with K for x1024 (for example NL16, FF4K), or SKV alone");
    }
    String name = m.group(1);
    ScalingOp op = opNamed(name, variant);
    String digits = m.group(2);
    if (!op.takesValue()) {
      if (digits != null) {
        throw new ShapeException(
            "variant", "operator " + op + " in '" + variant + "' is a switch and takes no value");
      }
      return of(op);
    }
    if (digits == null) {
      throw new ShapeException(
          "variant",
          "operator " + op + " in '" + variant + "' needs a value, for example " + op + "16");
    }
    return new ScalingStep(op, value(digits, !m.group(3).isEmpty(), token, variant));
  }

  private static ScalingOp opNamed(String name, String variant) {
    for (ScalingOp op : ScalingOp.values()) {
      if (op.name().equals(name)) {
        return op;
      }
    }
    throw new ShapeException(
        "variant",
        "unknown operator '" + name + "' in '" + variant + "': allowed " + ALLOWED_OPS);
  }

  private static int value(String digits, boolean kilo, String token, String variant) {
    // Parsed as long so that absurd values get a clear message instead of an overflow.
    long v = digits.length() > 12 ? Long.MAX_VALUE : Long.parseLong(digits) * (kilo ? K : 1);
    if (v < 1 || v > Integer.MAX_VALUE) {
      String bound = v < 1 ? "at least 1" : "at most " + Integer.MAX_VALUE;
      throw new ShapeException(
          "variant", "value of '" + token + "' in '" + variant + "' must be " + bound);
    }
    return (int) v;
  }
}
