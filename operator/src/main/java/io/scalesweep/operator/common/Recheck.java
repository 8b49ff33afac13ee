package io.scalesweep.operator.common;

import java.time.Duration;

/**
 * When to look again at something the operator may not watch (a Secret it may only get by name,
 * the Events of a Job): soon after it started waiting, then less and less often, so a thousand
 * stuck trials cost a bounded number of requests.
 */
public final class Recheck {

  static final Duration MIN = Duration.ofSeconds(5);
  static final Duration MAX = Duration.ofMinutes(5);

  private Recheck() {}

  /** Half the time waited so far, between 5 seconds and 5 minutes. */
  public static Duration after(Duration waited) {
    Duration half = waited.isNegative() ? Duration.ZERO : waited.dividedBy(2);
    return half.compareTo(MIN) < 0 ? MIN : half.compareTo(MAX) > 0 ? MAX : half;
  }
}
