package io.scalesweep.api.shape;

import io.scalesweep.api.v1alpha1.ScalingRule;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Checks a sweep's scaling rules and turns each into the operator steps it sweeps over. */
final class ScalingRules {

  private ScalingRules() {}

  static String path(int rule) {
    return "spec.scaling[" + rule + "]";
  }

  /**
   * The steps of each rule, in order: one per value, or the single switch for SKV.
   *
   * @throws ShapeException at {@code spec.scaling[i].op} or {@code spec.scaling[i].values}
   */
  static List<List<ScalingStep>> options(List<ScalingRule> rules) {
    List<List<ScalingStep>> options = new ArrayList<>(rules.size());
    for (int i = 0; i < rules.size(); i++) {
      options.add(steps(rules.get(i), i));
    }
    return options;
  }

  private static List<ScalingStep> steps(ScalingRule rule, int i) {
    if (rule == null || rule.getOp() == null) {
      String path = path(i) + ".op";
      throw new ShapeException(path, path + " is missing: allowed " + ScalingStep.ALLOWED_OPS);
    }
    ScalingOp op = rule.getOp();
    String path = path(i) + ".values";
    List<Integer> values = rule.getValues() == null ? List.of() : rule.getValues();
    if (!op.takesValue()) {
      if (!values.isEmpty()) {
        throw new ShapeException(
            path, path + " must be empty: " + op + " is a switch and takes no values");
      }
      return List.of(ScalingStep.of(op));
    }
    if (values.isEmpty()) {
      throw new ShapeException(
          path, path + " is empty: " + op + " needs at least one value, for example [16]");
    }
    List<ScalingStep> steps = new ArrayList<>(values.size());
    for (int v = 0; v < values.size(); v++) {
      Integer value = values.get(v);
      if (value == null || value < 1) {
        throw new ShapeException(
            path, path + "[" + v + "] must be a whole number of at least 1 (got " + value + ")");
      }
      steps.add(new ScalingStep(op, value));
    }
    return steps;
  }

  /**
   * In a grid each combination takes one value per rule, so two rules for one operator would
   * ask for two values of the same knob at once.
   */
  static void requireDistinctOps(List<ScalingRule> rules) {
    Map<ScalingOp, Integer> first = new EnumMap<>(ScalingOp.class);
    for (int i = 0; i < rules.size(); i++) {
      Integer earlier = first.putIfAbsent(rules.get(i).getOp(), i);
      if (earlier != null) {
        String path = path(i) + ".op";
        throw new ShapeException(
            path,
            path + " repeats " + rules.get(i).getOp() + " of " + path(earlier)
                + ": with grid: true each operator may appear once; merge their values");
      }
    }
  }
}
