package io.scalesweep.operator.common;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns an exception that ended a reconciliation into a {@code ReconcileError} condition, for
 * JOSDK's {@code Reconciler#updateErrorStatus}: a user sees in the status why the operator is
 * stuck instead of only in its log. The message is a short summary (the API server's own status
 * message, or the exception's first line) and never a response body: a storage error may quote
 * its server's reply. A successful reconciliation drops the condition again, since the
 * aggregators only keep the conditions they want.
 */
public final class ReconcileErrors {

  public static final String RECONCILE_ERROR = "ReconcileError";
  /** The API server refused or failed a request. */
  public static final String REASON_API_REQUEST_FAILED = "ApiRequestFailed";
  /** Anything else: storage, a bug. */
  public static final String REASON_RECONCILE_FAILED = "ReconcileFailed";

  static final int MESSAGE_MAX = 300;

  private ReconcileErrors() {}

  /**
   * The conditions with {@code ReconcileError=True} describing {@code error}, or empty when the
   * stored conditions already say exactly that (so an error that repeats on every retry is not
   * written again).
   */
  public static Optional<List<Condition>> withError(List<Condition> stored, Exception error, Long generation, Instant now) {
    Exception root = root(error);
    String where = where(error);
    Conditions.Wanted wanted = Conditions.Wanted.of(RECONCILE_ERROR, true, reason(root), bounded(where + describe(root)));
    Condition merged = Conditions.merge(stored, List.of(wanted), generation, now).get(0);
    Condition old = Conditions.find(stored, RECONCILE_ERROR);
    if (old != null && Objects.equals(old.getReason(), merged.getReason())
        && Objects.equals(old.getMessage(), merged.getMessage()) && Conditions.TRUE.equals(old.getStatus())) {
      return Optional.empty();
    }
    List<Condition> result = stored == null ? new ArrayList<>() : new ArrayList<>(without(stored));
    result.add(merged);
    return Optional.of(result);
  }

  /** The conditions without a ReconcileError (null stays null). */
  public static List<Condition> without(List<Condition> conditions) {
    if (conditions == null) {
      return null;
    }
    return conditions.stream().filter(c -> !RECONCILE_ERROR.equals(c.getType())).toList();
  }

  /**
   * The exception worth showing: a workflow's failure is aggregated per dependent by JOSDK, and an
   * API error is often wrapped; the first of those and the innermost API error is what happened.
   */
  static Exception root(Exception error) {
    if (error instanceof AggregatedOperatorException a && !a.getAggregatedExceptions().isEmpty()) {
      return root(a.getAggregatedExceptions().values().iterator().next());
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k) {
        return k;
      }
    }
    return error;
  }

  /** {@code "trial-config: "} when a dependent failed, naming it; else "". */
  private static String where(Exception error) {
    if (error instanceof AggregatedOperatorException a && !a.getAggregatedExceptions().isEmpty()) {
      return a.getAggregatedExceptions().keySet().iterator().next() + ": ";
    }
    return "";
  }

  static String reason(Exception error) {
    return error instanceof KubernetesClientException ? REASON_API_REQUEST_FAILED : REASON_RECONCILE_FAILED;
  }

  /** A one-line summary: the API server's status message, or the exception's first line. */
  static String describe(Exception error) {
    String text;
    if (error instanceof KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null) {
      text = "HTTP " + k.getCode() + ": " + k.getStatus().getMessage();
    } else {
      String message = error.getMessage() == null ? "" : error.getMessage().strip();
      int newline = message.indexOf('\n');
      text = error.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + (newline < 0 ? message : message.substring(0, newline)));
    }
    return bounded(text);
  }

  private static String bounded(String text) {
    return text.length() <= MESSAGE_MAX ? text : text.substring(0, MESSAGE_MAX - 3) + "...";
  }
}
