package io.scalesweep.trainer.train;

import java.util.Locale;

/** The two training phases of a trial; their steps are counted separately, each from 1. */
public enum Phase {
  PRETRAIN,
  FINETUNE;

  /** The name in metrics.jsonl and on the console. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The part of a trial's spec holding this phase's recipe ({@code spec.pretrain}). */
  public String specField() {
    return "spec." + label();
  }
}
