package io.scalesweep.operator.trainingjob;

import io.scalesweep.api.v1alpha1.TrialResult;
import java.time.Duration;
import java.util.Optional;

/**
 * What the operator found where the trainer stores its {@code result.json}: the result, nothing
 * (the trainer never wrote one: a verdict), or no answer (storage could not be read: an outage, a
 * credential refused for a while), which is a reason to ask again, never a verdict.
 *
 * @param result the stored result, when it was read
 * @param unreadable why storage gave no answer, when it did not
 */
public record StoredResult(Optional<TrialResult> result, Optional<String> unreadable) {

  /** How soon a result storage did not answer for is read again. */
  public static final Duration RETRY = Duration.ofSeconds(15);

  /** Not looked for, or looked for and not there. */
  public static final StoredResult NONE = new StoredResult(Optional.empty(), Optional.empty());

  public static StoredResult found(TrialResult result) {
    return new StoredResult(Optional.of(result), Optional.empty());
  }

  public static StoredResult unreadable(String why) {
    return new StoredResult(Optional.empty(), Optional.of(why));
  }
}
