package io.scalesweep.operator.config;

import java.time.Duration;

/**
 * How the operator deletes a sweep whose objects go with it.
 *
 * @param timeout how long after the deletion request the operator keeps trying to stop the
 *     trials and delete the objects before it removes its finalizer and leaves them in storage
 */
public record DeletionSettings(Duration timeout) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  public DeletionSettings {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("scalesweep.deletion.timeout must be a positive duration, was " + timeout);
    }
  }

  public static DeletionSettings defaults() {
    return new DeletionSettings(DEFAULT_TIMEOUT);
  }
}
