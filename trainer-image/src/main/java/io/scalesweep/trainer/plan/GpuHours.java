package io.scalesweep.trainer.plan;

import io.scalesweep.api.v1alpha1.ShapeResourceRule;
import io.scalesweep.api.v1alpha1.SweepResourcesSpec;

/**
 * The pretraining GPU-hours of one trial: its tokens (steps x tokens per step) over a throughput.
 * A measured throughput of the same shape wins over a figure from the manifest, since it includes
 * everything the figure guesses at (data loading, checkpoints, how well the shape uses the GPU).
 *
 * @param hours GPU-hours, or null when no throughput is known
 * @param source where the throughput came from
 * @param tokensPerSecond the throughput used: per GPU for a manifest figure, for the whole trial
 *     when measured; 0 when none
 */
public record GpuHours(Double hours, Source source, double tokensPerSecond) {

  /** Where a trial's throughput figure came from. */
  public enum Source {
    /** tokensPerSecond of an earlier trial of the same shape, from a sweep catalog. */
    MEASURED,
    /** tokensPerSecondPerGpu of the trial's byShape rule. */
    RULE,
    /** the sweep's resources.tokensPerSecondPerGpu. */
    DEFAULT,
    /** the trial trains on CPU: no GPU-hours. */
    CPU,
    /** no figure: neither the manifest nor a catalog gives one. */
    NONE
  }

  /**
   * @param tokens pretraining tokens of the trial
   * @param gpus the trial's GPUs
   * @param rule the trial's byShape rule, or null
   * @param measuredTokensPerSecond whole-trial throughput of an earlier run of the shape, or null;
   *     assumed to have run on as many GPUs as the trial gets now
   */
  static GpuHours of(long tokens, int gpus, ShapeResourceRule rule, SweepResourcesSpec sweep, Double measuredTokensPerSecond) {
    if (gpus == 0) {
      return new GpuHours(0.0, Source.CPU, 0);
    }
    if (measuredTokensPerSecond != null && measuredTokensPerSecond > 0) {
      return new GpuHours(tokens / measuredTokensPerSecond * gpus / 3600, Source.MEASURED, measuredTokensPerSecond);
    }
    // Per GPU: the trial's GPUs share its tokens, so its GPU-seconds do not depend on how many.
    if (rule != null && rule.getTokensPerSecondPerGpu() != null) {
      return new GpuHours(tokens / rule.getTokensPerSecondPerGpu() / 3600, Source.RULE, rule.getTokensPerSecondPerGpu());
    }
    if (sweep != null && sweep.getTokensPerSecondPerGpu() != null) {
      return new GpuHours(tokens / sweep.getTokensPerSecondPerGpu() / 3600, Source.DEFAULT, sweep.getTokensPerSecondPerGpu());
    }
    return new GpuHours(null, Source.NONE, 0);
  }
}
