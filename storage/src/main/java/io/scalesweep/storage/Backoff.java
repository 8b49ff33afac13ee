package io.scalesweep.storage;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with full jitter (a random delay up to base * 2^(attempt-1), capped), so
 * that many pods retrying after the same outage do not all come back at once.
 */
final class Backoff {

  private final long baseMillis;
  private final long capMillis;

  Backoff(Duration base, Duration cap) {
    this.baseMillis = base.toMillis();
    this.capMillis = cap.toMillis();
  }

  /** The longest delay after failed attempt number {@code attempt} (1-based). */
  long ceilingMillis(int attempt) {
    int doublings = Math.min(attempt - 1, 30);
    return Math.min(capMillis, baseMillis << doublings);
  }

  void sleep(int attempt) throws InterruptedIOException {
    long ceiling = ceilingMillis(attempt);
    long delay = ceiling == 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1);
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry");
    }
  }
}
