package io.scalesweep.api.analysis;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One trial as the Pareto frontier sees it: a quality to maximise and costs to minimise, each
 * cost under the name of its axis ({@code params}, {@code flops}, {@code throughput}).
 *
 * @param id the trial's identity, reported back on the frontier (its code or name)
 * @param quality higher is better; NaN when the trial has not measured it
 * @param costs lower is better; an axis the trial has no value for is simply absent
 */
public record ParetoPoint(String id, double quality, Map<String, Double> costs) {

  public ParetoPoint {
    Objects.requireNonNull(id, "id");
    // Map.copyOf rejects null values; a null cost means "not measured", the same as absent.
    Map<String, Double> known = new HashMap<>();
    costs.forEach(
        (axis, cost) -> {
          if (cost != null) {
            known.put(axis, cost);
          }
        });
    costs = Map.copyOf(known);
  }

  public static ParetoPoint of(String id, double quality, String axis, double cost) {
    return new ParetoPoint(id, quality, Map.of(axis, cost));
  }

  /** The cost on an axis when it is a usable number (present and finite). */
  public OptionalDouble cost(String axis) {
    Double cost = costs.get(axis);
    return cost != null && Double.isFinite(cost) ? OptionalDouble.of(cost) : OptionalDouble.empty();
  }

  /** Whether this point can take part in a frontier over the given axes. */
  boolean isComparableOn(Iterable<String> axes) {
    if (!Double.isFinite(quality)) {
      return false;
    }
    for (String axis : axes) {
      if (cost(axis).isEmpty()) {
        return false;
      }
    }
    return true;
  }
}
