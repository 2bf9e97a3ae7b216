package io.lmserve.generation.schedule;

import io.lmserve.generation.Completion;
import io.lmserve.generation.FinishReason;
import io.lmserve.generation.GenerationEvent;
import io.lmserve.generation.GenerationRequest;
import io.lmserve.generation.model.BatchModel;
import io.lmserve.generation.model.Sequence;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Continuous batching: one thread runs the model in steps; each step decodes every running sequence
 * in one batched forward. Waiting requests join between steps in arrival order (their prefill runs
 * then); a request that finishes, is cancelled or passes its deadline leaves before the next step
 * and its KV cache is freed at once.
 *
 * <p>Listeners are called on the scheduler thread and must return quickly (hand the event over,
 * never block), since every running request waits for them.
 */
public final class Scheduler implements AutoCloseable {

  private final BatchModel model;
  private final SchedulerOptions options;
  private final LongSupplier nanoClock;
  private final Thread thread;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition workArrived = lock.newCondition();
  private final ArrayDeque<Entry> waiting = new ArrayDeque<>(); // guarded by lock
  private boolean closed; // guarded by lock

  private final List<Entry> running = new ArrayList<>(); // scheduler thread only
  private volatile int runningCount;
  private volatile long cacheBytesInUse;

  public Scheduler(BatchModel model, SchedulerOptions options) {
    this(model, options, System::nanoTime);
  }

  /** With a clock of its own for deadlines and timings (tests use a fake one). */
  Scheduler(BatchModel model, SchedulerOptions options, LongSupplier nanoClock) {
    this.model = model;
    this.options = options;
    this.nanoClock = nanoClock;
    this.thread = Thread.ofPlatform().name("lmserve-scheduler").daemon().start(this::loop);
  }

  /**
   * Queues a request; its events go to {@code listener} on the scheduler thread.
   *
   * @throws io.lmserve.generation.InvalidRequestException when the request breaks a limit or does
   *     not fit the model (nothing is queued)
   * @throws QueueFullException when {@link SchedulerOptions#queueCapacity} requests already wait
   * @throws IllegalStateException after {@link #close}
   */
  public RequestHandle submit(GenerationRequest request, Consumer<GenerationEvent> listener) {
    options.limits().check(request.params());
    Entry entry = new Entry(Completion.of(request, model, listener, nanoClock));
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the scheduler is closed");
      }
      if (waiting.size() >= options.queueCapacity()) {
        throw new QueueFullException(options.queueCapacity());
      }
      waiting.addLast(entry);
      workArrived.signal();
    } finally {
      lock.unlock();
    }
    return entry;
  }

  /** Requests waiting for a batch slot. */
  public int queued() {
    lock.lock();
    try {
      return waiting.size();
    } finally {
      lock.unlock();
    }
  }

  /** Sequences currently decoding. */
  public int activeSequences() {
    return runningCount;
  }

  /** Bytes of KV cache held by the running sequences. */
  public long cacheBytesInUse() {
    return cacheBytesInUse;
  }

  /** True once {@link #close} was called: no more requests are accepted. */
  public boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /** Ends every waiting and running request as cancelled and stops the thread. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      workArrived.signal();
    } finally {
      lock.unlock();
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void loop() {
    try {
      while (true) {
        List<Entry> joining = takeJoining();
        if (joining == null) {
          break;
        }
        joining.forEach(this::start);
        leaveStopped();
        prefillChunks();
        if (running.stream().anyMatch(entry -> entry.decoding)) {
          step();
        }
        updateGauges();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      shutDown();
    }
  }

  /** Waits until there is work; returns the requests that may join now, null when closed. */
  private List<Entry> takeJoining() throws InterruptedException {
    lock.lock();
    try {
      while (!closed && waiting.isEmpty() && running.isEmpty()) {
        workArrived.await();
      }
      if (closed) {
        return null;
      }
      dropExpiredWaiting();
      List<Entry> joining = new ArrayList<>();
      while (running.size() + joining.size() < options.maxBatchSize() && !waiting.isEmpty()) {
        joining.add(waiting.pollFirst());
      }
      return joining;
    } finally {
      lock.unlock();
    }
  }

  private void dropExpiredWaiting() {
    for (Iterator<Entry> it = waiting.iterator(); it.hasNext(); ) {
      Entry entry = it.next();
      String stop = entry.completion.stopRequest();
      if (stop != null) {
        it.remove();
        entry.completion.finish(FinishReason.CANCELLED, stop);
      }
    }
  }

  /** Prefills a joining request and adds it to the batch unless it is already done. */
  private void start(Entry entry) {
    String stop = entry.completion.stopRequest();
    if (stop != null) {
      entry.completion.finish(FinishReason.CANCELLED, stop);
      return;
    }
    Sequence sequence;
    try {
      sequence = model.newSequence(entry.completion.capacity());
    } catch (RuntimeException e) {
      entry.completion.finish(FinishReason.ERROR, "could not allocate the sequence: " + e);
      return;
    }
    entry.sequence = sequence;
    entry.prompt = entry.completion.prompt();
    running.add(entry);
    updateGauges();
  }

  /**
   * Runs the next pieces of the prompts still being prefilled, oldest first, at most {@link
   * SchedulerOptions#prefillChunkTokens} tokens in all, so a long prompt delays the running streams
   * by one chunk per step rather than by its whole prefill. A prompt whose last piece ran yields
   * its first token and decodes from the next step on.
   */
  private void prefillChunks() {
    int budget = options.prefillChunkTokens();
    for (Entry entry : List.copyOf(running)) {
      if (budget == 0) {
        return;
      }
      if (entry.decoding) {
        continue;
      }
      int n = Math.min(budget, entry.prompt.length - entry.prefilled);
      float[] logits;
      try {
        logits =
            entry.sequence.prefill(
                java.util.Arrays.copyOfRange(entry.prompt, entry.prefilled, entry.prefilled + n));
      } catch (RuntimeException | InternalError e) {
        // InternalError: what the JVM throws for a fault reading native memory. The request fails;
        // the scheduler thread lives on.
        entry.completion.finish(FinishReason.ERROR, "prefill failed: " + e);
        leave(entry);
        continue;
      }
      budget -= n;
      entry.prefilled += n;
      if (entry.prefilled == entry.prompt.length) {
        entry.decoding = true;
        advance(entry, logits);
      }
    }
  }

  /** Removes the cancelled and expired from the batch before the next step. */
  private void leaveStopped() {
    for (Entry entry : List.copyOf(running)) {
      String stop = entry.completion.stopRequest();
      if (stop != null) {
        entry.completion.finish(FinishReason.CANCELLED, stop);
        leave(entry);
      }
    }
  }

  /** One batched forward over every decoding sequence, then one token each. */
  private void step() {
    List<Entry> stepped = running.stream().filter(entry -> entry.decoding).toList();
    List<Sequence> sequences = new ArrayList<>(stepped.size());
    int[] tokens = new int[stepped.size()];
    for (int i = 0; i < stepped.size(); i++) {
      sequences.add(stepped.get(i).sequence);
      tokens[i] = stepped.get(i).completion.lastToken();
    }
    float[][] logits;
    try {
      logits = model.decodeBatch(sequences, tokens);
    } catch (RuntimeException | InternalError e) {
      for (Entry entry : stepped) {
        entry.completion.finish(FinishReason.ERROR, "decode step failed: " + e);
        leave(entry);
      }
      return;
    }
    for (int i = 0; i < stepped.size(); i++) {
      advance(stepped.get(i), logits[i]);
    }
  }

  /** Gives a request its next logits; it leaves when done or when handling them fails. */
  private void advance(Entry entry, float[] logits) {
    boolean more;
    try {
      more = entry.completion.accept(logits);
    } catch (RuntimeException e) {
      entry.completion.finish(FinishReason.ERROR, "choosing the next token failed: " + e);
      more = false;
    }
    if (!more) {
      leave(entry);
    }
  }

  private void leave(Entry entry) {
    running.remove(entry);
    if (entry.sequence != null) {
      entry.sequence.close();
      entry.sequence = null;
    }
    updateGauges();
  }

  private void updateGauges() {
    long bytes = 0;
    for (Entry entry : running) {
      bytes += entry.sequence.cacheBytes();
    }
    // bytes first: whoever sees no active sequence also sees their cache released
    cacheBytesInUse = bytes;
    runningCount = running.size();
  }

  private void shutDown() {
    List<Entry> left;
    lock.lock();
    try {
      closed = true;
      left = new ArrayList<>(waiting);
      waiting.clear();
    } finally {
      lock.unlock();
    }
    left.addAll(running);
    for (Entry entry : left) {
      entry.completion.finish(FinishReason.CANCELLED, "the scheduler was closed");
      if (entry.sequence != null) {
        leave(entry);
      }
    }
  }

  /** A submitted request and, while it runs, its sequence. */
  private final class Entry implements RequestHandle {
    final Completion completion;
    // scheduler thread only:
    Sequence sequence;
    int[] prompt;
    int prefilled;
    boolean decoding;

    Entry(Completion completion) {
      this.completion = completion;
    }

    @Override
    public void cancel(String reason) {
      boolean removed;
      lock.lock();
      try {
        removed = waiting.remove(this);
      } finally {
        lock.unlock();
      }
      if (removed) {
        completion.finish(FinishReason.CANCELLED, reason);
      } else {
        completion.cancel(reason);
      }
    }

    @Override
    public boolean isFinished() {
      return completion.isFinished();
    }
  }
}
