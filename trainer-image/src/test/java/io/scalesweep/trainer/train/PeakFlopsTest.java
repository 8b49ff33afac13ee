package io.scalesweep.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.scalesweep.api.v1alpha1.Precision;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The peak table as the driver names GPUs: the most specific name wins, dense figures. */
class PeakFlopsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "NVIDIA H200,             989.5, 494.5",
    "NVIDIA H200 NVL,         835.5, 417.5",
    "NVIDIA H100 80GB HBM3,   989.5, 494.5",
    "NVIDIA H100 PCIe,        756.5, 378",
    "NVIDIA H100 NVL,         835.5, 417.5",
    "NVIDIA A100-SXM4-80GB,   312,   156",
    "NVIDIA A100 80GB PCIe,   312,   156",
    "NVIDIA A10,              125,   62.5",
    "NVIDIA L4,               121,   60",
    "NVIDIA L40S,             362,   183",
    "Tesla T4,                65,    8.1",
    "Tesla V100-SXM2-16GB,    125,   15.7",
    "Tesla V100-PCIE-32GB,    112,   14",
  })
  void knownGpusHaveTheirDatasheetPeaks(String name, double fp16, double fp32WithTf32) {
    assertThat(PeakFlops.of(name, Precision.MIXED_FP16, true).orElseThrow().tflops())
        .isEqualTo(fp16);
    assertThat(PeakFlops.of(name, Precision.FP32, true).orElseThrow().tflops())
        .isEqualTo(fp32WithTf32);
  }

  @Test
  void withoutTheTf32OverrideFp32RunsOnTheFp32Units() {
    PeakFlops.Peak peak = PeakFlops.of("NVIDIA H200", Precision.FP32, false).orElseThrow();
    assertThat(peak.tflops()).isEqualTo(67);
    assertThat(peak.source()).contains("H200 SXM", "datasheet", "fp32");
    assertThat(PeakFlops.of("NVIDIA H200", Precision.MIXED_FP16, false).orElseThrow().source())
        .contains("fp16 tensor cores");
  }

  @Test
  void unknownGpusAndLookAlikesHaveNone() {
    assertThat(PeakFlops.of("NVIDIA A10G", Precision.MIXED_FP16, true)).isEmpty();
    assertThat(PeakFlops.of("NVIDIA GeForce RTX 4090", Precision.FP32, true)).isEmpty();
  }

  @Test
  void theCpuHasNoGpuName() {
    assertThat(PeakFlops.gpuName(Device.cpu())).isEmpty();
  }
}
