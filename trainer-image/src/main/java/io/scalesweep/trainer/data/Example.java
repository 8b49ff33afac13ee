package io.scalesweep.trainer.data;

/** One span-corrupted example before padding: encoder inputs and decoder targets, EOS-terminated. */
public record Example(int[] inputs, int[] targets) {}
