package io.scalesweep.e2e;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Waits for sweeps and trials on a live cluster, printing where they are every few seconds, and
 * gives up early when a sweep can no longer succeed, naming why.
 */
final class SweepWatch {

  private static final Duration POLL = Duration.ofSeconds(3);
  private static final Duration REPORT = Duration.ofSeconds(20);

  private final KubernetesClient client;

  SweepWatch(KubernetesClient client) {
    this.client = client;
  }

  /** Waits until the sweep's Ready condition is True for reason Succeeded (every trial succeeded). */
  ScalingSweep untilSucceeded(String namespace, String name, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long nextReport = 0;
    while (true) {
      ScalingSweep sweep = client.resources(ScalingSweep.class).inNamespace(namespace).withName(name).get();
      Optional<Condition> ready = condition(sweep, "Ready");
      // Ready=True also ends a sweep whose failures stayed within its budget: that reason is no success.
      if (ready.filter(c -> "True".equals(c.getStatus()) && "Succeeded".equals(c.getReason())).isPresent()) {
        return sweep;
      }
      Optional<Condition> failed = condition(sweep, "Failed").filter(c -> "True".equals(c.getStatus()));
      Optional<Condition> invalid = condition(sweep, "InvalidSpec").filter(c -> "True".equals(c.getStatus()));
      if (failed.isPresent() || invalid.isPresent() || ready.filter(c -> "CompletedWithFailures".equals(c.getReason())).isPresent()) {
        throw new AssertionError("sweep " + namespace + "/" + name + " cannot succeed: " + sweep.getStatus().getConditions());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("sweep " + namespace + "/" + name + " not Ready after " + timeout + ": "
            + (sweep == null ? "gone" : describe(sweep)));
      }
      if (System.nanoTime() > nextReport) {
        System.out.printf("[e2e] %s/%s: %s%n", namespace, name, sweep == null ? "not found" : describe(sweep));
        nextReport = System.nanoTime() + REPORT.toNanos();
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** Waits until {@code test} holds for the trial, printing its progress; returns it. */
  TrainingJob untilTrial(String namespace, String name, Predicate<TrainingJob> test, String what, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long nextReport = 0;
    while (true) {
      TrainingJob trial = client.resources(TrainingJob.class).inNamespace(namespace).withName(name).get();
      if (trial != null && test.test(trial)) {
        return trial;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("trial " + namespace + "/" + name + " not " + what + " after " + timeout + ": "
            + (trial == null ? "not found" : trial.getStatus()));
      }
      if (System.nanoTime() > nextReport && trial != null && trial.getStatus() != null) {
        var s = trial.getStatus();
        System.out.printf("[e2e] %s/%s: %s, step %s, waiting until %s%n", namespace, name, s.getPhase(),
            s.getProgress() == null ? "-" : s.getProgress().getStep(), what);
        nextReport = System.nanoTime() + REPORT.toNanos();
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** The name of the namespace's first TrainingJob, once the operator has created one. */
  String firstTrial(String namespace) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      var items = client.resources(TrainingJob.class).inNamespace(namespace).list().getItems();
      if (!items.isEmpty()) {
        return items.get(0).getMetadata().getName();
      }
      Thread.sleep(1000);
    }
    throw new AssertionError("no TrainingJob created in " + namespace + " within 3 minutes");
  }

  static Optional<Condition> condition(ScalingSweep sweep, String type) {
    if (sweep == null || sweep.getStatus() == null || sweep.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return sweep.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private static String describe(ScalingSweep sweep) {
    var status = sweep.getStatus();
    if (status == null || status.getTrials() == null) {
      return "no status yet";
    }
    var t = status.getTrials();
    return String.format("%d trials: %d pending, %d running, %d succeeded, %d failed",
        t.getTotal(), t.getPending(), t.getRunning(), t.getSucceeded(), t.getFailed());
  }
}
