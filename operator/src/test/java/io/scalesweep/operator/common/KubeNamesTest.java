package io.scalesweep.operator.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KubeNamesTest {

  @Test
  void shortNamesAreKept() {
    assertThat(KubeNames.bounded("sweep-nl16-sm", "-trial", 253)).isEqualTo("sweep-nl16-sm-trial");
  }

  @Test
  void longNamesAreShortenedDeterministicallyAndStayDistinct() {
    String a = "x".repeat(70) + "-nl16-sm";
    String b = "x".repeat(70) + "-nl24-sm";

    String shortA = KubeNames.labelValue(a);

    assertThat(shortA).hasSize(63).isEqualTo(KubeNames.labelValue(a));
    assertThat(shortA).isNotEqualTo(KubeNames.labelValue(b));
    assertThat(shortA).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  }

  @Test
  void aShortenedNameNeverHasADashBeforeTheHash() {
    String name = "a".repeat(53) + "----------" + "tail";

    assertThat(KubeNames.labelValue(name)).doesNotContain("--");
  }
}
