package io.scalesweep.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrainerSettingsTest {

  @Test
  void trialsWithGpusRunTheCudaImageWhenThereIsOne() {
    var settings = new TrainerSettings("ghcr.io/scalesweep/trainer:1.0", "IfNotPresent", AdmissionPolicy.defaults(),
        "ghcr.io/scalesweep/trainer:1.0-cu128");

    assertThat(settings.imageFor(0)).isEqualTo("ghcr.io/scalesweep/trainer:1.0");
    assertThat(settings.imageFor(1)).isEqualTo("ghcr.io/scalesweep/trainer:1.0-cu128");
    assertThat(settings.imageFor(8)).isEqualTo("ghcr.io/scalesweep/trainer:1.0-cu128");
  }

  @Test
  void withoutACudaImageEveryTrialRunsTheDefaultImage() {
    var none = new TrainerSettings("ghcr.io/scalesweep/trainer:1.0", "IfNotPresent");
    var blank = new TrainerSettings("ghcr.io/scalesweep/trainer:1.0", "IfNotPresent", AdmissionPolicy.defaults(), " ");

    assertThat(none.gpuImage()).isNull();
    assertThat(blank.gpuImage()).isNull();
    assertThat(none.imageFor(2)).isEqualTo("ghcr.io/scalesweep/trainer:1.0");
    assertThat(blank.imageFor(2)).isEqualTo("ghcr.io/scalesweep/trainer:1.0");
  }
}
