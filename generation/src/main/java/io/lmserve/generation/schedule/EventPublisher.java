package io.lmserve.generation.schedule;

import io.lmserve.generation.GenerationEvent;
import io.lmserve.generation.GenerationRequest;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request's events as a {@link Flow.Publisher} for a single subscriber: the request is submitted
 * on subscribe, events wait in a buffer until demanded (at most max_new_tokens + 1 of them, so the
 * buffer is bounded), and cancelling the subscription cancels the request. Submission failures
 * ({@link QueueFullException}, {@link io.lmserve.generation.InvalidRequestException}) arrive as
 * {@code onError}; the final {@link GenerationEvent.Finished} is followed by {@code onComplete}.
 */
public final class EventPublisher implements Flow.Publisher<GenerationEvent> {

  private final Scheduler scheduler;
  private final GenerationRequest request;
  private final AtomicBoolean subscribed = new AtomicBoolean();

  public EventPublisher(Scheduler scheduler, GenerationRequest request) {
    this.scheduler = scheduler;
    this.request = request;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super GenerationEvent> subscriber) {
    Objects.requireNonNull(subscriber);
    if (!subscribed.compareAndSet(false, true)) {
      subscriber.onSubscribe(new NoSubscription());
      subscriber.onError(new IllegalStateException("a generation can be subscribed to once"));
      return;
    }
    Subscription subscription = new Subscription(subscriber);
    subscriber.onSubscribe(subscription);
    try {
      subscription.handle = scheduler.submit(request, subscription::offer);
      if (subscription.cancelled.get()) {
        subscription.handle.cancel();
      }
    } catch (RuntimeException e) {
      subscription.fail(e);
    }
  }

  private static final class Subscription implements Flow.Subscription {
    private final Flow.Subscriber<? super GenerationEvent> subscriber;
    private final Queue<GenerationEvent> buffer = new ConcurrentLinkedQueue<>();
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger drainers = new AtomicInteger();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile RequestHandle handle;
    private volatile Throwable failure;
    private boolean done; // drain loop only

    Subscription(Flow.Subscriber<? super GenerationEvent> subscriber) {
      this.subscriber = subscriber;
    }

    void offer(GenerationEvent event) {
      buffer.add(event);
      drain();
    }

    void fail(Throwable error) {
      failure = error;
      drain();
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        fail(new IllegalArgumentException("request(n) needs n > 0, got " + n));
        return;
      }
      demand.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
      drain();
    }

    @Override
    public void cancel() {
      if (cancelled.compareAndSet(false, true) && handle != null) {
        handle.cancel();
      }
    }

    /** Delivers buffered events while there is demand; one thread at a time, none lost. */
    private void drain() {
      if (drainers.getAndIncrement() != 0) {
        return;
      }
      int missed = 1;
      do {
        while (!done && !cancelled.get()) {
          if (failure != null) {
            done = true;
            subscriber.onError(failure);
            break;
          }
          if (demand.get() == 0 || buffer.isEmpty()) {
            break;
          }
          GenerationEvent event = buffer.poll();
          demand.decrementAndGet();
          subscriber.onNext(event);
          if (event instanceof GenerationEvent.Finished) {
            done = true;
            subscriber.onComplete();
          }
        }
        missed = drainers.addAndGet(-missed);
      } while (missed != 0);
    }
  }

  private static final class NoSubscription implements Flow.Subscription {
    @Override
    public void request(long n) {}

    @Override
    public void cancel() {}
  }
}
