package io.scalesweep.trainer.train;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Ctrl-C, or SIGTERM when Kubernetes deletes or preempts a trial's pod, while libtorch is busy.
 *
 * <p>The JVM's exit runs libtorch's static destructors. A thread still inside a libtorch call at
 * that moment races them and can crash the process (seen once: a SIGSEGV, and an hs_err file in
 * the working directory) instead of letting it exit. So a shutdown hook raises a flag that the
 * training and evaluation loops test between steps ({@link #check}), and holds the exit until
 * every piece of work that {@link #enter entered} has unwound and closed its arrays, for at most
 * a grace period (below Kubernetes' default of 30 s between SIGTERM and SIGKILL). A finished
 * checkpoint is never affected: the newest complete one is where a rerun resumes.
 */
public final class Interruption {

  /** Longest the exit waits for work to reach a step boundary. */
  public static final Duration GRACE = Duration.ofSeconds(25);

  private static final ReentrantLock LOCK = new ReentrantLock();
  private static final Condition IDLE = LOCK.newCondition();
  private static volatile boolean requested;
  private static int active;
  private static boolean installed;

  private Interruption() {}

  /** Thrown by {@link #check} once the process is shutting down. */
  public static final class Interrupted extends RuntimeException {
    Interrupted() {
      super(
          "interrupted (Ctrl-C or SIGTERM); stopped at a step boundary. Run the same train or run"
              + " command again to resume from its newest complete checkpoint",
          null,
          false,
          false);
    }
  }

  /**
   * Marks the calling thread's work as in progress until the returned handle closes, and
   * installs the shutdown hook on first use.
   */
  public static Work enter() {
    LOCK.lock();
    try {
      if (!installed) {
        Runtime.getRuntime().addShutdownHook(new Thread(Interruption::onExit, "scalesweep-exit"));
        installed = true;
      }
      active++;
    } finally {
      LOCK.unlock();
    }
    return new Work();
  }

  /** Throws {@link Interrupted} once the process is shutting down; cheap enough for every step. */
  public static void check() {
    if (requested) {
      throw new Interrupted();
    }
  }

  /** Whether the process is shutting down. */
  static boolean requested() {
    return requested;
  }

  private static void onExit() {
    if (busy()) {
      // a large model's step can take many seconds: say why the exit is not immediate
      System.err.println(
          "scalesweep: stopping at the end of the current step (at most "
              + GRACE.toSeconds() + " s)");
    }
    if (!awaitIdle(GRACE)) {
      System.err.println("scalesweep: the step did not end in time; exiting anyway");
    }
  }

  private static boolean busy() {
    LOCK.lock();
    try {
      return active > 0;
    } finally {
      LOCK.unlock();
    }
  }

  /**
   * What the shutdown hook does: raises the flag, then waits until no work is in progress.
   *
   * @return whether the work finished within {@code grace}
   */
  static boolean awaitIdle(Duration grace) {
    requested = true;
    long left = grace.toNanos();
    LOCK.lock();
    try {
      while (active > 0) {
        if (left <= 0) {
          return false;
        }
        left = IDLE.awaitNanos(left);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      LOCK.unlock();
    }
  }

  /** Work in progress; closing it lets a pending exit go on. */
  public static final class Work implements AutoCloseable {
    private boolean closed;

    private Work() {}

    @Override
    public void close() {
      LOCK.lock();
      try {
        if (!closed) {
          closed = true;
          active--;
          IDLE.signalAll();
        }
      } finally {
        LOCK.unlock();
      }
    }
  }

  /** Clears the flag: for tests that simulate a shutdown inside one JVM. */
  static void resetForTest() {
    requested = false;
  }
}
