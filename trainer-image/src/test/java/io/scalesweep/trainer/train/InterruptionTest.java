package io.scalesweep.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The exit's side of {@link Interruption}, driven directly: the real hook only runs when this
 * JVM exits. The packaged app under SIGTERM is TrainResumeIT's.
 */
class InterruptionTest {

  @AfterEach
  void clear() {
    Interruption.resetForTest();
  }

  @Test
  void theExitWaitsForWorkInProgressAndTheWorkIsToldToStop() throws Exception {
    Interruption.Work work = Interruption.enter();
    Interruption.check(); // nothing requested yet: no throw

    CompletableFuture<Boolean> exit =
        CompletableFuture.supplyAsync(() -> Interruption.awaitIdle(Duration.ofSeconds(30)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Interruption.requested() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThatThrownBy(Interruption::check)
        .isInstanceOf(Interruption.Interrupted.class)
        .hasMessageContaining("interrupted");
    Thread.sleep(100);
    assertThat(exit).as("the exit waits while work is in progress").isNotDone();

    work.close();
    assertThat(exit.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void theExitGoesOnAfterTheGracePeriodWhenWorkDoesNotStop() {
    try (Interruption.Work stuck = Interruption.enter()) {
      long start = System.nanoTime();
      assertThat(Interruption.awaitIdle(Duration.ofMillis(200))).isFalse();
      assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
    }
  }

  @Test
  void closingWorkTwiceCountsOnce() {
    Interruption.Work outer = Interruption.enter();
    Interruption.Work inner = Interruption.enter();
    inner.close();
    inner.close();
    assertThat(Interruption.awaitIdle(Duration.ofMillis(50))).as("outer still open").isFalse();
    outer.close();
    assertThat(Interruption.awaitIdle(Duration.ZERO)).isTrue();
  }
}
