package io.scalesweep.api.analysis;

/**
 * What the analysis needs to know of one finished trial. Qualities are "higher is better"; a
 * missing measurement is null and keeps the trial out of the sets that need it.
 *
 * @param code the trial's shape in the paper's notation (its identity in Pareto sets)
 * @param params trainable parameters
 * @param flops training FLOPs per optimizer step
 * @param tokensPerSecond measured training throughput
 * @param negLogPerplexity upstream quality
 * @param downstreamAverage downstream quality, 0 to 100
 */
public record TrialOutcome(
    String code,
    long params,
    long flops,
    Double tokensPerSecond,
    Double negLogPerplexity,
    Double downstreamAverage) {}
