package io.scalesweep.trainer.tasks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a {@link TaskMixture} stands: how many examples it has drawn from each task, by name.
 * That is its whole state, since every random choice is derived from the seed and these counts,
 * so a checkpoint stores a few numbers (Jackson writes it as {@code {"taken":{"boolq":120}}}).
 */
public record MixtureState(Map<String, Long> taken) {

  public MixtureState {
    taken = Collections.unmodifiableMap(new LinkedHashMap<>(taken));
    if (taken.values().stream().anyMatch(n -> n == null || n < 0)) {
      throw new IllegalArgumentException("mixture counts must be 0 or more: " + taken);
    }
  }
}
