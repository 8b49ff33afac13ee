package io.scalesweep.api.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalesweep.api.v1alpha1.ParetoSet;
import io.scalesweep.api.v1alpha1.PowerLawFitStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepAnalysisTest {

  // Planted: C is dominated by B on params (bigger and worse); on throughput C is the fastest.
  private static final List<TrialOutcome> OUTCOMES =
      List.of(
          new TrialOutcome("A", 100, 1000, 100.0, -3.0, 60.0),
          new TrialOutcome("B", 200, 2000, 50.0, -2.0, 70.0),
          new TrialOutcome("C", 300, 1500, 200.0, -2.5, 75.0),
          new TrialOutcome("D", 400, 4000, 10.0, -1.0, null));

  @Test
  void frontierPerQualityAndCostAxis() {
    List<ParetoSet> sets = SweepAnalysis.paretoSets(OUTCOMES);

    assertThat(codes(sets, "upstream", "params")).containsExactly("A", "B", "D");
    assertThat(codes(sets, "upstream", "flops")).containsExactly("A", "C", "B", "D");
    assertThat(codes(sets, "upstream", "throughput")).containsExactly("C", "B", "D");
    // D has no downstream score and is left out of those sets; C beats B downstream
    assertThat(codes(sets, "downstream", "params")).containsExactly("A", "B", "C");
    assertThat(codes(sets, "downstream", "throughput")).containsExactly("C");
    assertThat(sets).hasSize(6);
  }

  @Test
  void fitsRecoverAPlantedPowerLaw() {
    List<TrialOutcome> outcomes = new ArrayList<>();
    for (long n = 1_000_000; n <= 1_000_000_000L; n *= 2) {
      double loss = 40 * Math.pow(n, -0.25) + 1.5;
      outcomes.add(new TrialOutcome("N" + n, n, n, 1.0, -loss, null));
    }

    List<PowerLawFitStatus> fits = SweepAnalysis.fits(outcomes);

    assertThat(fits).singleElement().satisfies(f -> {
      assertThat(f.getQuality()).isEqualTo("upstream");
      assertThat(f.getAlpha()).isCloseTo(-0.25, org.assertj.core.data.Offset.offset(0.01));
      assertThat(f.getEInf()).isCloseTo(1.5, org.assertj.core.data.Offset.offset(0.02));
      assertThat(f.getPoints()).isEqualTo(outcomes.size());
    });
  }

  /** Flat, noisy errors (what a benchmark's planted results look like) fit no power law. */
  @Test
  void aFitWithoutFiniteNumbersIsLeftOut() {
    List<TrialOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      outcomes.add(new TrialOutcome("T" + i, 1_000_000L + i, 1_000_000L + i, 1.0, -5.0 + (i % 97) * 0.001, null));
    }

    assertThat(SweepAnalysis.fits(outcomes)).allSatisfy(f -> {
      assertThat(Double.isFinite(f.getNc())).as("nc %s", f.getNc()).isTrue();
      assertThat(Double.isFinite(f.getAlpha())).as("alpha %s", f.getAlpha()).isTrue();
      assertThat(Double.isFinite(f.getEInf())).as("eInf %s", f.getEInf()).isTrue();
    });
  }

  @Test
  void tooFewSizesGiveNoFit() {
    assertThat(SweepAnalysis.fits(OUTCOMES.subList(0, 2))).isEmpty();
  }

  private static List<String> codes(List<ParetoSet> sets, String quality, String cost) {
    return sets.stream()
        .filter(s -> s.getQuality().equals(quality) && s.getCost().equals(cost))
        .findFirst()
        .orElseThrow()
        .getCodes();
  }
}
