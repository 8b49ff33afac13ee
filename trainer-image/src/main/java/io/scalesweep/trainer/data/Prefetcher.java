package io.scalesweep.trainer.data;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Prepares batches on a thread of its own (storage, gunzip, JSON, tokenising, span corruption)
 * while the training thread computes, at most {@code depth} ahead. Each batch travels with the
 * source's position after it, so {@link #state()} is where the batch after the last one TAKEN
 * starts, not the last one made: a checkpoint that saves it resumes exactly where training was,
 * whatever the thread had read ahead.
 *
 * <p>The source is used by the prefetch thread only, from construction until {@link #close}
 * returns; the caller closes the source after this.
 *
 * @param <S> the source's position
 */
public final class Prefetcher<S> implements Supplier<TokenBatch>, AutoCloseable {

  private static final long JOIN_MILLIS = TimeUnit.SECONDS.toMillis(30);

  /** A batch (null: the source is exhausted) and the position after it, or what went wrong. */
  private record Item<S>(TokenBatch batch, S after, Throwable error) {}

  private final BlockingQueue<Item<S>> queue;
  private final Thread thread;
  private volatile boolean closed;
  private S consumed;
  private boolean exhausted;

  /**
   * @param next the source's next batch, null when it has no more
   * @param position the source's position, read after each batch
   * @param depth batches made ahead at most
   */
  public Prefetcher(Supplier<TokenBatch> next, Supplier<S> position, int depth, String name) {
    if (depth < 1) {
      throw new IllegalArgumentException("depth must be at least 1, got " + depth);
    }
    this.queue = new ArrayBlockingQueue<>(depth);
    this.consumed = position.get();
    this.thread = new Thread(() -> produce(next, position), name);
    thread.setDaemon(true);
    thread.start();
  }

  private void produce(Supplier<TokenBatch> next, Supplier<S> position) {
    try {
      while (!closed) {
        TokenBatch batch = next.get();
        queue.put(new Item<>(batch, position.get(), null));
        if (batch == null) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      if (!closed) {
        // the queue may be full of batches still to be taken: the error waits behind them
        try {
          queue.put(new Item<>(null, null, t));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /**
   * The next batch, null once the source is exhausted.
   *
   * @throws RuntimeException what the source threw, when the training thread reaches it
   */
  @Override
  public TokenBatch get() {
    if (exhausted) {
      return null;
    }
    Item<S> item;
    try {
      item = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the next batch", e);
    }
    if (item.error() != null) {
      exhausted = true;
      if (item.error() instanceof RuntimeException r) {
        throw r;
      }
      if (item.error() instanceof Error e) {
        throw e;
      }
      throw new IllegalStateException(item.error());
    }
    consumed = item.after();
    exhausted = item.batch() == null;
    return item.batch();
  }

  /** Where the batch after the last one taken starts: what a checkpoint saves. */
  public S state() {
    return consumed;
  }

  /** Stops the thread and waits for it, so the caller may close the source. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    queue.clear();
    try {
      thread.join(JOIN_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
