package io.scalesweep.api.shape;

import io.scalesweep.api.v1alpha1.ScalingRule;
import io.scalesweep.api.v1alpha1.ScalingSweepSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a ScalingSweep's spec into the trials it trains. The order is stable (the base, then the
 * scaling rules in order, then the explicit variants) and a shape reached twice is trained once,
 * under its first code.
 *
 * <p>By default each value of each rule is applied alone to the base; with {@code grid: true}
 * every combination is, one value per rule, written in rule order ({@code NL16-FF4K-SM}). SKV
 * takes no values, so in a grid it is part of every combination.
 */
public final class SweepExpander {

  /**
   * Most trials one sweep may expand to: a grid grows multiplicatively, and a typo in it should
   * fail here rather than exhaust the operator's memory.
   */
  public static final int MAX_TRIALS = 10_000;

  private static final String ALLOWED_BASE_NAMES =
      Arrays.stream(BaseSize.values())
          .map(BaseSize::manifestName)
          .collect(Collectors.joining(", "));

  private SweepExpander() {}

  /**
   * @param sweepName the ScalingSweep's name, the prefix of every trial name
   * @throws ShapeException naming the spec field at fault (for example {@code
   *     spec.scaling[1].values}) and what it allows
   */
  public static List<Trial> expand(String sweepName, ScalingSweepSpec spec) {
    if (spec == null) {
      throw new ShapeException("spec", "spec is missing");
    }
    if (spec.getBase() == null) {
      throw new ShapeException(
          "spec.base", "spec.base is missing: allowed " + ALLOWED_BASE_NAMES);
    }
    BaseShapes bases = new BaseShapes(spec.getOverrides(), spec.getPretrain());
    List<Candidate> candidates = new ArrayList<>();
    if (!Boolean.FALSE.equals(spec.getIncludeBase())) {
      candidates.add(new Candidate(Variant.of(spec.getBase()), "spec.base"));
    }
    List<ScalingRule> rules = spec.getScaling() == null ? List.of() : spec.getScaling();
    List<List<ScalingStep>> options = ScalingRules.options(rules);
    if (Boolean.TRUE.equals(spec.getGrid())) {
      ScalingRules.requireDistinctOps(rules);
      addGrid(candidates, options, spec.getBase());
    } else {
      addOneAtATime(candidates, options, spec.getBase());
    }
    addVariants(candidates, spec.getVariants());
    if (candidates.isEmpty()) {
      throw new ShapeException(
          "spec",
          "spec expands to no trials: includeBase is false and there are no scaling rules or"
              + " variants; set includeBase, or add spec.scaling or spec.variants");
    }
    return resolve(sweepName, candidates, bases);
  }

  private static void addOneAtATime(
      List<Candidate> out, List<List<ScalingStep>> options, BaseSize base) {
    for (int i = 0; i < options.size(); i++) {
      String path = ScalingRules.path(i) + ".values";
      for (ScalingStep step : options.get(i)) {
        out.add(new Candidate(new Variant(List.of(step), base), path));
      }
    }
    requireWithinLimit(out.size(), "spec.scaling");
  }

  /** Every combination, first rule varying slowest, like nested loops in rule order. */
  private static void addGrid(List<Candidate> out, List<List<ScalingStep>> options, BaseSize base) {
    if (options.isEmpty()) {
      return;
    }
    long combinations = 1;
    for (List<ScalingStep> values : options) {
      combinations = Math.min(combinations * values.size(), (long) MAX_TRIALS + 1);
    }
    requireWithinLimit(out.size() + combinations, "spec.scaling");
    int[] index = new int[options.size()];
    for (long c = 0; c < combinations; c++) {
      List<ScalingStep> steps = new ArrayList<>(options.size());
      for (int r = 0; r < options.size(); r++) {
        steps.add(options.get(r).get(index[r]));
      }
      out.add(new Candidate(new Variant(steps, base), "spec.scaling"));
      for (int r = options.size() - 1; r >= 0 && ++index[r] == options.get(r).size(); r--) {
        index[r] = 0;
      }
    }
  }

  private static void addVariants(List<Candidate> out, List<String> variants) {
    if (variants == null) {
      return;
    }
    requireWithinLimit(out.size() + (long) variants.size(), "spec.variants");
    for (int i = 0; i < variants.size(); i++) {
      String path = "spec.variants[" + i + "]";
      try {
        out.add(new Candidate(Variant.parse(variants.get(i)), path));
      } catch (ShapeException e) {
        throw new ShapeException(path, path + ": " + e.getMessage());
      }
    }
  }

  private static List<Trial> resolve(
      String sweepName, List<Candidate> candidates, BaseShapes bases) {
    Set<Shape> seen = new HashSet<>(candidates.size() * 2);
    List<Trial> trials = new ArrayList<>(candidates.size());
    for (Candidate candidate : candidates) {
      Variant variant = candidate.variant();
      Shape base = bases.of(variant.base());
      Shape shape;
      try {
        shape = variant.shape(base);
      } catch (ShapeException e) {
        throw new ShapeException(candidate.path(), candidate.path() + ": " + e.getMessage());
      }
      if (seen.add(shape)) {
        String code = variant.code();
        trials.add(new Trial(TrialNames.of(sweepName, code), code, shape));
      }
    }
    return List.copyOf(trials);
  }

  private static void requireWithinLimit(long count, String path) {
    if (count > MAX_TRIALS) {
      throw new ShapeException(
          path,
          path + " makes the sweep expand to more than " + MAX_TRIALS
              + " trials; split it into several sweeps");
    }
  }

  /** A variant to train and the spec field it came from, for error messages. */
  private record Candidate(Variant variant, String path) {}
}
