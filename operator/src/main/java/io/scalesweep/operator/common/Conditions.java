package io.scalesweep.operator.common;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one place that turns wanted condition states into status conditions. It owns {@code
 * lastTransitionTime}: the time moves only when a condition's status flips, so a status computed
 * again from the same state is equal to the stored one and is not written.
 */
public final class Conditions {

  public static final String TRUE = "True";
  public static final String FALSE = "False";

  private Conditions() {}

  /** What one condition should say now. */
  public record Wanted(String type, boolean status, String reason, String message) {

    public static Wanted of(String type, boolean status, String reason, String message) {
      return new Wanted(type, status, reason, message);
    }
  }

  /**
   * The conditions to store, in the order given.
   *
   * @param previous the stored conditions (may be null)
   * @param generation the spec generation these conditions describe
   * @param now the time a flipped condition is stamped with
   */
  public static List<Condition> merge(
      List<Condition> previous, List<Wanted> wanted, Long generation, Instant now) {
    List<Condition> result = new ArrayList<>(wanted.size());
    for (Wanted w : wanted) {
      String status = w.status() ? TRUE : FALSE;
      Condition old = find(previous, w.type());
      String since =
          old != null && status.equals(old.getStatus()) && old.getLastTransitionTime() != null
              ? old.getLastTransitionTime()
              : timestamp(now);
      result.add(
          new ConditionBuilder()
              .withType(w.type())
              .withStatus(status)
              .withReason(w.reason())
              .withMessage(w.message() == null ? "" : w.message())
              .withObservedGeneration(generation)
              .withLastTransitionTime(since)
              .build());
    }
    return result;
  }

  /** The condition of that type, or null. */
  public static Condition find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return null;
    }
    return conditions.stream().filter(c -> Objects.equals(type, c.getType())).findFirst().orElse(null);
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    Condition c = find(conditions, type);
    return c != null && TRUE.equals(c.getStatus());
  }

  /** RFC 3339 at second precision, as Kubernetes writes {@code metav1.Time}. */
  public static String timestamp(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
