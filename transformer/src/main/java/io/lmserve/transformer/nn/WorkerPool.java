package io.lmserve.transformer.nn;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One fixed set of daemon threads that every kernel splits its work across. A job is a range {@code
 * [0, count)} cut into chunks of {@code grain} that the workers and the calling thread claim in
 * turn; the caller returns as soon as every chunk is done, whether or not a worker woke up in time
 * to help. A job submitted while another runs (another session on another thread, or a nested call)
 * runs on the caller alone: the pool already keeps every core busy.
 */
public final class WorkerPool {

  /** The body of a parallel loop over {@code [from, to)}. */
  @FunctionalInterface
  public interface RangeBody {
    void run(int from, int to);
  }

  private static final WorkerPool SHARED =
      new WorkerPool(
          Integer.getInteger("lmserve.threads", Runtime.getRuntime().availableProcessors()));

  /**
   * How long an idle worker polls for the next job before parking. A decode step hands out about
   * fifty jobs separated by a few microseconds to tens of microseconds of single-threaded work
   * (layer norms, short attention); waking a parked thread takes about as long again, so a worker
   * that keeps polling for a while joins the next job at once. Past this it parks and costs
   * nothing.
   */
  private static final long SPIN_NANOS = Long.getLong("lmserve.pool.spin-micros", 200) * 1000;

  private final int parallelism;
  private final Thread[] workers;

  /** Per worker: true while it polls {@link #current} instead of parking (no unpark needed). */
  private final java.util.concurrent.atomic.AtomicIntegerArray polling;

  private final ReentrantLock busy = new ReentrantLock();
  private volatile Job current;

  /** One parallel loop: its chunks are claimed from {@code next} and counted in {@code done}. */
  private static final class Job {
    final RangeBody body;
    final int count;
    final int grain;
    final int chunks;
    final Thread caller;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger done = new AtomicInteger();
    volatile Throwable failure;

    Job(RangeBody body, int count, int grain, Thread caller) {
      this.body = body;
      this.count = count;
      this.grain = grain;
      this.chunks = (count + grain - 1) / grain;
      this.caller = caller;
    }

    /** Runs chunks until none is left unclaimed. */
    void work() {
      int c;
      while ((c = next.getAndIncrement()) < chunks) {
        int from = c * grain;
        try {
          body.run(from, Math.min(count, from + grain));
        } catch (Throwable t) {
          failure = t;
        }
        if (done.incrementAndGet() == chunks) {
          LockSupport.unpark(caller);
        }
      }
    }
  }

  public WorkerPool(int parallelism) {
    if (parallelism < 1 || parallelism > 1024) {
      throw new IllegalArgumentException("parallelism " + parallelism + " out of range [1, 1024]");
    }
    this.parallelism = parallelism;
    this.workers = new Thread[parallelism - 1];
    this.polling = new java.util.concurrent.atomic.AtomicIntegerArray(workers.length);
    for (int i = 0; i < workers.length; i++) {
      int index = i;
      workers[i] =
          Thread.ofPlatform().daemon().name("lmserve-kernel-" + i).unstarted(() -> loop(index));
      workers[i].start();
    }
  }

  /** The pool every model uses unless told otherwise ({@code -Dlmserve.threads=N} sizes it). */
  public static WorkerPool shared() {
    return SHARED;
  }

  public int parallelism() {
    return parallelism;
  }

  /** Runs {@code body} over {@code [0, count)} in chunks of at least {@code grain}. */
  public void parallelFor(int count, int grain, RangeBody body) {
    if (count <= 0) {
      return;
    }
    grain = Math.max(1, grain);
    if (workers.length == 0 || count <= grain || !busy.tryLock()) {
      body.run(0, count);
      return;
    }
    Job job = new Job(body, count, grain, Thread.currentThread());
    try {
      current = job;
      for (int i = 0; i < workers.length; i++) {
        if (polling.get(i) == 0) {
          LockSupport.unpark(workers[i]);
        }
      }
      job.work();
      // The last chunks are already running on workers: they finish within microseconds.
      long deadline = System.nanoTime() + SPIN_NANOS;
      while (job.done.get() < job.chunks) {
        if (System.nanoTime() < deadline) {
          Thread.onSpinWait();
        } else {
          LockSupport.park(this);
        }
      }
    } finally {
      current = null;
      busy.unlock();
    }
    Throwable t = job.failure;
    if (t instanceof RuntimeException e) {
      throw e;
    } else if (t instanceof Error e) {
      throw e;
    } else if (t != null) {
      throw new IllegalStateException(t);
    }
  }

  private void loop(int index) {
    Job last = null;
    long idleSince = System.nanoTime();
    polling.set(index, 1);
    while (true) {
      Job job = current;
      if (job != null && job != last) {
        last = job;
        job.work();
        idleSince = System.nanoTime();
      } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
        Thread.onSpinWait();
      } else {
        // Announce the park before the last look at current: a caller that publishes a job after
        // this store sees 0 and unparks; one that published before is seen by the look.
        polling.set(index, 0);
        job = current;
        if (job == null || job == last) {
          LockSupport.park(this);
        }
        polling.set(index, 1);
        idleSince = System.nanoTime();
      }
    }
  }
}
