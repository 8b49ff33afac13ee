package io.scalesweep.trainer.tasks;

import java.util.List;

/**
 * One text-to-text example: what the encoder reads, what the decoder learns to write, and every
 * answer that counts as right when scoring (several for SQuAD-style tasks, else just the target).
 */
public record TextExample(String input, String target, List<String> references) {

  public TextExample {
    if (input == null || target == null || references == null || references.isEmpty()) {
      throw new IllegalArgumentException("an example needs an input, a target and a reference");
    }
    references = List.copyOf(references);
  }

  public TextExample(String input, String target) {
    this(input, target, List.of(target));
  }
}
