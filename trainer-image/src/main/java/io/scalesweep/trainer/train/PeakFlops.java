package io.scalesweep.trainer.train;

import ai.djl.Device;
import io.scalesweep.api.v1alpha1.Precision;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Peak dense arithmetic rates of known GPUs, the denominator of model FLOPs utilisation (MFU).
 *
 * <p>Figures are NVIDIA's datasheet numbers in TFLOP/s, dense: where a datasheet gives only the
 * rate "with sparsity" (Ampere and later tensor cores), half of it. Sources: the NVIDIA H200, H100,
 * A100, A10, L40S, L4, T4 and V100 (Tensor Core GPU) datasheets. An fp32 recipe's matrix products
 * run on TF32 tensor cores when {@code TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1} (the CUDA image sets
 * it) and the GPU has them, else on the fp32 units; mixed-fp16 runs on the fp16 tensor cores.
 */
public final class PeakFlops {

  /** The environment variable with which libtorch runs fp32 matrix products as TF32. */
  public static final String TF32_OVERRIDE = "TORCH_ALLOW_TF32_CUBLAS_OVERRIDE";

  /**
   * One GPU model: its name as the driver reports it (a pattern, the first match wins: more specific
   * names first), and its dense peaks in TFLOP/s; {@code tf32} is NaN where there are no TF32 units.
   */
  record Gpu(String label, Pattern name, double fp16, double tf32, double fp32) {
    Gpu(String label, String regex, double fp16, double tf32, double fp32) {
      this(label, Pattern.compile(regex, Pattern.CASE_INSENSITIVE), fp16, tf32, fp32);
    }
  }

  // fp16 and TF32 tensor-core figures are the datasheets' sparse ones halved: H200 SXM 1,979 and
  // 989, H200 NVL 1,671 and 835, H100 SXM 1,979 and 989, H100 NVL 1,671 and 835, H100 PCIe 1,513
  // and 756, A100 624 and 312, A10 250 and 125, L40S 733 and 366, L4 242 and 120. T4 (65) and
  // V100 (125 SXM2, 112 PCIe, 130 V100S) give dense fp16 tensor figures and have no TF32.
  static final List<Gpu> KNOWN =
      List.of(
          new Gpu("H200 NVL", "\\bH200 NVL\\b", 835.5, 417.5, 60),
          new Gpu("H200 SXM", "\\bH200\\b", 989.5, 494.5, 67),
          new Gpu("H100 NVL", "\\bH100 NVL\\b", 835.5, 417.5, 60),
          new Gpu("H100 PCIe", "\\bH100 PCIe\\b", 756.5, 378, 51),
          new Gpu("H100 SXM", "\\bH100\\b", 989.5, 494.5, 67),
          new Gpu("A100", "\\bA100\\b", 312, 156, 19.5),
          new Gpu("A10", "\\bA10\\b", 125, 62.5, 31.2),
          new Gpu("L40S", "\\bL40S\\b", 362, 183, 91.6),
          new Gpu("L4", "\\bL4\\b", 121, 60, 30.3),
          new Gpu("T4", "\\bT4\\b", 65, Double.NaN, 8.1),
          new Gpu("V100S PCIe", "\\bV100S\\b", 130, Double.NaN, 16.4),
          new Gpu("V100 PCIe", "\\bV100[- ]PCIE", 112, Double.NaN, 14),
          new Gpu("V100 SXM2", "\\bV100\\b", 125, Double.NaN, 15.7));

  /**
   * A peak rate and where it came from.
   *
   * @param source e.g. "H200 SXM fp16 tensor, dense (NVIDIA datasheet)" or "--peak-tflops"
   */
  public record Peak(double tflops, String source) {}

  private PeakFlops() {}

  /**
   * The dense peak that {@code precision}'s matrix products can reach on the GPU called {@code
   * name}, if it is a known one.
   *
   * @param tf32 whether fp32 matrix products run as TF32 ({@link #TF32_OVERRIDE})
   */
  public static Optional<Peak> of(String name, Precision precision, boolean tf32) {
    for (Gpu gpu : KNOWN) {
      if (!gpu.name().matcher(name).find()) {
        continue;
      }
      String known = gpu.label() + " (NVIDIA datasheet, dense)";
      if (precision == Precision.MIXED_FP16) {
        return Optional.of(new Peak(gpu.fp16(), known + ", fp16 tensor cores"));
      }
      if (tf32 && !Double.isNaN(gpu.tf32())) {
        return Optional.of(new Peak(gpu.tf32(), known + ", TF32 tensor cores"));
      }
      return Optional.of(new Peak(gpu.fp32(), known + ", fp32 (no TF32)"));
    }
    return Optional.empty();
  }

  /** Whether this process runs fp32 matrix products as TF32 ({@link #TF32_OVERRIDE}=1). */
  public static boolean tf32FromEnvironment() {
    return "1".equals(System.getenv(TF32_OVERRIDE));
  }

  /**
   * The name of GPU {@code device} as the driver reports it ("NVIDIA H200"). DJL does not expose
   * it (its CUDA utilities give the count, compute capability and memory only), so this asks
   * {@code nvidia-smi}, mapping DJL's device number through {@code CUDA_VISIBLE_DEVICES} as CUDA
   * does. Empty for the CPU, or when nvidia-smi is missing or fails.
   */
  public static Optional<String> gpuName(Device device) {
    if (!device.isGpu()) {
      return Optional.empty();
    }
    String id = String.valueOf(device.getDeviceId());
    String visible = System.getenv("CUDA_VISIBLE_DEVICES");
    if (visible != null && !visible.isBlank()) {
      String[] ids = visible.split(",");
      if (device.getDeviceId() < ids.length) {
        id = ids[device.getDeviceId()].trim();
      }
    }
    try {
      Process smi =
          new ProcessBuilder(
                  "nvidia-smi", "--query-gpu=name", "--format=csv,noheader", "-i", id)
              .redirectErrorStream(true)
              .start();
      String out;
      try (InputStream in = smi.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      }
      if (!smi.waitFor(10, TimeUnit.SECONDS) || smi.exitValue() != 0 || out.isEmpty()) {
        smi.destroy();
        return Optional.empty();
      }
      return Optional.of(out.lines().findFirst().orElse(out).trim());
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
