package io.scalesweep.api.analysis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The non-dominated trials of a sweep: those no other trial beats on quality without costing
 * more on some axis. This is how the paper compares scaling operators, one cost axis at a time
 * (params, FLOPs, throughput) or several together.
 *
 * <p>A point dominates another when it is at least as good on quality and every cost and strictly
 * better on one of them; two identical points therefore both stay on the frontier. A point with
 * a non-finite quality, or lacking a finite cost on one of the axes, takes no part.
 */
public final class ParetoFrontier {

  private ParetoFrontier() {}

  /**
   * The frontier over the given cost axes, cheapest on the first axis first (then best quality
   * first, then in input order).
   *
   * @throws IllegalArgumentException when no axis is given
   */
  public static List<ParetoPoint> of(Collection<ParetoPoint> points, List<String> costAxes) {
    if (costAxes.isEmpty()) {
      throw new IllegalArgumentException("a Pareto frontier needs at least one cost axis");
    }
    List<ParetoPoint> candidates = new ArrayList<>();
    for (ParetoPoint p : points) {
      if (p.isComparableOn(costAxes)) {
        candidates.add(p);
      }
    }
    List<ParetoPoint> frontier = new ArrayList<>();
    // Quadratic, which is fine for sweeps of a few thousand trials and keeps ties exact.
    for (ParetoPoint p : candidates) {
      if (candidates.stream().noneMatch(q -> dominates(q, p, costAxes))) {
        frontier.add(p);
      }
    }
    String first = costAxes.get(0);
    frontier.sort(
        Comparator.<ParetoPoint>comparingDouble(p -> p.cost(first).getAsDouble())
            .thenComparing(Comparator.comparingDouble(ParetoPoint::quality).reversed()));
    return List.copyOf(frontier);
  }

  /** Ids of the frontier over one cost axis, cheapest first: what status.pareto reports. */
  public static List<String> cheapestFirst(Collection<ParetoPoint> points, String costAxis) {
    return of(points, List.of(costAxis)).stream().map(ParetoPoint::id).toList();
  }

  private static boolean dominates(ParetoPoint a, ParetoPoint b, List<String> axes) {
    if (a.quality() < b.quality()) {
      return false;
    }
    boolean strictlyBetter = a.quality() > b.quality();
    for (String axis : axes) {
      double ca = a.cost(axis).getAsDouble();
      double cb = b.cost(axis).getAsDouble();
      if (ca > cb) {
        return false;
      }
      strictlyBetter |= ca < cb;
    }
    return strictlyBetter;
  }
}
