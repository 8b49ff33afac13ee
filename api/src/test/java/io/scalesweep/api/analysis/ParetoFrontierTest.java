package io.scalesweep.api.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParetoFrontierTest {

  private static ParetoPoint point(String id, double quality, double params, double flops) {
    return new ParetoPoint(id, quality, Map.of("params", params, "flops", flops));
  }

  private static List<String> ids(List<ParetoPoint> frontier) {
    return frontier.stream().map(ParetoPoint::id).toList();
  }

  @Test
  void singleAxisKeepsOnlyTrialsNothingCheaperBeats() {
    List<ParetoPoint> points =
        List.of(
            ParetoPoint.of("c", 2, "params", 3), // beaten by b: cheaper and better
            ParetoPoint.of("d", 5, "params", 4),
            ParetoPoint.of("a", 1, "params", 1),
            ParetoPoint.of("e", 4, "params", 4), // same cost as d, lower quality
            ParetoPoint.of("f", 5, "params", 5), // same quality as d, costs more
            ParetoPoint.of("b", 3, "params", 2));
    assertThat(ParetoFrontier.cheapestFirst(points, "params")).containsExactly("a", "b", "d");
  }

  @Test
  void identicalPointsBothStay() {
    List<ParetoPoint> points =
        List.of(
            ParetoPoint.of("b", 3, "params", 2),
            ParetoPoint.of("a", 1, "params", 1),
            ParetoPoint.of("b-twin", 3, "params", 2));
    assertThat(ParetoFrontier.cheapestFirst(points, "params")).containsExactly("a", "b", "b-twin");
  }

  /** A deep narrow model is cheap in params but not in FLOPs: the axes disagree. */
  @Test
  void severalAxesKeepWhatIsBestOnAnyTradeOff() {
    List<ParetoPoint> points =
        List.of(
            point("wide", 10, 100, 100),
            point("deep", 12, 50, 300),
            point("worse-wide", 9, 120, 120), // beaten by wide on everything
            point("fast", 11, 200, 90),
            point("slow-fast", 11, 200, 150), // beaten by fast on FLOPs, tied elsewhere
            point("deep-heavier", 12, 60, 300)); // beaten by deep on params, tied elsewhere
    assertThat(ids(ParetoFrontier.of(points, List.of("params", "flops"))))
        .containsExactly("deep", "wide", "fast");
    assertThat(ParetoFrontier.cheapestFirst(points, "params")).containsExactly("deep");
    assertThat(ParetoFrontier.cheapestFirst(points, "flops"))
        .containsExactly("fast", "deep", "deep-heavier");
  }

  @Test
  void pointsWithoutAUsableValueTakeNoPart() {
    Map<String, Double> missingFlops = new HashMap<>();
    missingFlops.put("params", 1.0);
    missingFlops.put("flops", null);
    List<ParetoPoint> points =
        List.of(
            point("ok", 1, 10, 10),
            point("unmeasured", Double.NaN, 1, 1),
            point("nan-cost", 100, Double.NaN, 1),
            point("infinite-cost", 100, Double.POSITIVE_INFINITY, 1),
            new ParetoPoint("no-flops", 0.5, missingFlops));
    assertThat(ParetoFrontier.cheapestFirst(points, "params")).containsExactly("no-flops", "ok");
    assertThat(ParetoFrontier.cheapestFirst(points, "flops"))
        .containsExactly("nan-cost", "infinite-cost");
    assertThat(ids(ParetoFrontier.of(points, List.of("params", "flops")))).containsExactly("ok");
    assertThat(ParetoFrontier.cheapestFirst(points, "throughput")).isEmpty();
  }

  @Test
  void needsAnAxis() {
    assertThatThrownBy(() -> ParetoFrontier.of(List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ParetoFrontier.cheapestFirst(List.of(), "params")).isEmpty();
  }
}
