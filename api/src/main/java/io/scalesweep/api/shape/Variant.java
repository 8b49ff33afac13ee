package io.scalesweep.api.shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A model shape written in the paper's notation: scaling operators joined by {@code -}, ending in
 * a base code, such as {@code NL16-SM} or {@code NL16-FF4K-SM}. The operators are applied left to
 * right, so a later one wins where two touch the same knob ({@code NL16-EL32-SM} has 32 encoder
 * and 16 decoder layers); shared heads (SH) come last, after the head count is final.
 *
 * @param steps the operator applications, each operator at most once
 * @param base the base size the operators are applied to
 */
public record Variant(List<ScalingStep> steps, BaseSize base) {

  static final String ALLOWED_BASES =
      Arrays.stream(BaseSize.values()).map(BaseSize::code).collect(Collectors.joining(", "));

  public Variant {
    steps = List.copyOf(steps);
    Objects.requireNonNull(base, "base");
    Set<ScalingOp> seen = EnumSet.noneOf(ScalingOp.class);
    for (ScalingStep step : steps) {
      if (!seen.add(step.op())) {
        // A repeated operator would silently override itself; the notation never needs it.
        throw new ShapeException(
            "variant", "operator " + step.op() + " appears more than once in '" + code(steps, base)
                + "'");
      }
    }
  }

  /** The base size itself, with no operator applied (code {@code SM}, {@code BA} ...). */
  public static Variant of(BaseSize base) {
    return new Variant(List.of(), base);
  }

  /**
   * Reads the paper's notation.
   *
   * @throws ShapeException naming the part that is wrong and what is allowed there
   */
  public static Variant parse(String code) {
    if (code == null || code.isBlank()) {
      throw new ShapeException(
          "variant", "a variant code is required, for example NL16-SM or SKV-BA");
    }
    String trimmed = code.strip();
    String[] parts = trimmed.split("-", -1);
    for (String part : parts) {
      if (part.isEmpty()) {
        throw new ShapeException(
            "variant", "empty part in '" + trimmed + "': operators and the base are joined by"
                + " single dashes, for example NL16-FF4K-SM");
      }
    }
    String baseCode = parts[parts.length - 1];
    BaseSize base =
        BaseSize.fromCode(baseCode)
            .orElseThrow(
                () ->
                    new ShapeException(
                        "variant",
                        "unknown base '" + baseCode + "' in '" + trimmed + "': a variant ends in"
                            + " a base code, allowed " + ALLOWED_BASES));
    List<ScalingStep> steps = new ArrayList<>(parts.length - 1);
    for (int i = 0; i < parts.length - 1; i++) {
      steps.add(ScalingStep.parse(parts[i], trimmed));
    }
    return new Variant(steps, base);
  }

  /** Canonical notation; {@code parse(code())} gives back an equal variant. */
  public String code() {
    return code(steps, base);
  }

  private static String code(List<ScalingStep> steps, BaseSize base) {
    if (steps.isEmpty()) {
      return base.code();
    }
    StringBuilder sb = new StringBuilder();
    for (ScalingStep step : steps) {
      sb.append(step.code()).append('-');
    }
    return sb.append(base.code()).toString();
  }

  /**
   * Applies the operators to {@code baseShape}, which is normally this variant's base size with
   * a sweep's overrides.
   *
   * @throws ShapeException when the result cannot exist; the field is the shape field at fault
   *     and the message names this variant
   */
  public Shape shape(Shape baseShape) {
    Shape shape = baseShape;
    try {
      for (ScalingStep step : steps) {
        if (step.op() != ScalingOp.SH) {
          shape = step.applyTo(shape);
        }
      }
      // Shared heads last: kvHeads must divide the final head count, so SH8-NH16-BA is as valid
      // as NH16-SH8-BA although 8 does not divide BA's 12 heads.
      for (ScalingStep step : steps) {
        if (step.op() == ScalingOp.SH) {
          shape = step.applyTo(shape);
        }
      }
    } catch (ShapeException e) {
      throw new ShapeException(e.field(), code() + " gives an invalid shape: " + e.getMessage());
    }
    return shape;
  }
}
