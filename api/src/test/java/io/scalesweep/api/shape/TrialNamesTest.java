package io.scalesweep.api.shape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TrialNamesTest {

  private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  @Test
  void shortNamesAreSweepAndCodeInLowerCase() {
    assertThat(TrialNames.of("deepnarrow-small", "NL16-SM")).isEqualTo("deepnarrow-small-nl16-sm");
    assertThat(TrialNames.of("knobs", "FF12K-BA")).isEqualTo("knobs-ff12k-ba");
  }

  @Test
  void namesAreDeterministic() {
    String sweep = "a-sweep-with-a-rather-long-name-that-will-need-to-be-cut";
    assertThat(TrialNames.of(sweep, "NL16-FF4K-DM2K-SM"))
        .isEqualTo(TrialNames.of(sweep, "NL16-FF4K-DM2K-SM"));
  }

  @Test
  void longNamesAreCutAndHashedAndStayUnique() {
    String sweep = "a-sweep-with-a-rather-long-name-that-will-need-to-be-cut";
    Set<String> names = new HashSet<>();
    for (int layers = 1; layers <= 200; layers++) {
      String name = TrialNames.of(sweep, "NL" + layers + "-FF4K-DM2K-SM");
      assertThat(name).hasSizeLessThanOrEqualTo(TrialNames.MAX_LENGTH).matches(DNS_1123_LABEL);
      assertThat(name).startsWith("a-sweep-with-a-rather-long-name");
      names.add(name);
    }
    // Every code differs only past the cut, so only the hash tells them apart.
    assertThat(names).hasSize(200);
  }

  @Test
  void exactly63CharactersIsKeptAsIs() {
    String code = "NL16-SM";
    String sweep = "s".repeat(TrialNames.MAX_LENGTH - code.length() - 1);
    assertThat(TrialNames.of(sweep, code)).isEqualTo(sweep + "-nl16-sm").hasSize(63);
    assertThat(TrialNames.of(sweep + "s", code)).hasSize(63).doesNotEndWith("-nl16-sm");
  }

  @Test
  void charactersOutsideALabelAreReplacedAndTheNameHashed() {
    String dotted = TrialNames.of("team.sweep", "NL16-SM");
    String dashed = TrialNames.of("team-sweep", "NL16-SM");
    assertThat(dotted).matches(DNS_1123_LABEL).startsWith("team-sweep-nl16-sm-");
    // Two sweeps whose names clean to the same text must not share trial names.
    assertThat(dotted).isNotEqualTo(dashed);
  }

  @Test
  void cutNeverLeavesADashBeforeTheHash() {
    // Place a dash exactly where the readable prefix is cut.
    String sweep = "x".repeat(53) + "-yyyyyyyyyyyy";
    String name = TrialNames.of(sweep, "SM");
    assertThat(name).matches(DNS_1123_LABEL).doesNotContain("--");
  }

  @Test
  void sweepAndCodeAreRequired() {
    assertThatThrownBy(() -> TrialNames.of("", "SM")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TrialNames.of("s", null)).isInstanceOf(IllegalArgumentException.class);
  }
}
