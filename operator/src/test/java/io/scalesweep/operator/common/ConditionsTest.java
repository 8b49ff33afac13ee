package io.scalesweep.operator.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.scalesweep.operator.common.Conditions.Wanted;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00.123Z");
  private static final Instant T1 = Instant.parse("2026-01-01T11:00:00Z");

  @Test
  void theTransitionTimeMovesOnlyWhenTheStatusFlips() {
    List<Condition> first = Conditions.merge(null, List.of(Wanted.of("Ready", false, "Waiting", "")), 1L, T0);

    List<Condition> sameStatusNewReason =
        Conditions.merge(first, List.of(Wanted.of("Ready", false, "StillWaiting", "more")), 2L, T1);
    List<Condition> flipped = Conditions.merge(sameStatusNewReason, List.of(Wanted.of("Ready", true, "Done", "")), 2L, T1);

    assertThat(first.get(0).getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
    assertThat(sameStatusNewReason.get(0).getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
    assertThat(sameStatusNewReason.get(0).getReason()).isEqualTo("StillWaiting");
    assertThat(sameStatusNewReason.get(0).getObservedGeneration()).isEqualTo(2L);
    assertThat(flipped.get(0).getLastTransitionTime()).isEqualTo("2026-01-01T11:00:00Z");
    assertThat(flipped.get(0).getStatus()).isEqualTo("True");
  }

  @Test
  void mergingTheSameWantedStateLaterChangesNothing() {
    List<Wanted> wanted = List.of(Wanted.of("Ready", true, "Done", "ok"), Wanted.of("Failed", false, "None", ""));
    List<Condition> first = Conditions.merge(null, wanted, 1L, T0);

    assertThat(Conditions.merge(first, wanted, 1L, T1)).isEqualTo(first);
  }
}
