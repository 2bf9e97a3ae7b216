package io.lmserve.generation.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.generation.FinishReason;
import io.lmserve.generation.GenerationEvent;
import io.lmserve.generation.GenerationLimits;
import io.lmserve.generation.GenerationParams;
import io.lmserve.generation.GenerationRequest;
import io.lmserve.generation.Generator;
import io.lmserve.generation.InvalidRequestException;
import io.lmserve.generation.TokenEvent;
import io.lmserve.generation.model.FakeModel;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class EventPublisherTest {

  private final FakeModel model = new FakeModel(50, 128, OptionalInt.empty());

  /** Requests one event at a time, only after the previous arrived. */
  private static class OneByOne implements Flow.Subscriber<GenerationEvent> {
    final List<GenerationEvent> events = new CopyOnWriteArrayList<>();
    final CompletableFuture<Throwable> end = new CompletableFuture<>();
    Flow.Subscription subscription;

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(GenerationEvent item) {
      events.add(item);
      subscription.request(1);
    }

    @Override
    public void onError(Throwable throwable) {
      end.complete(throwable);
    }

    @Override
    public void onComplete() {
      end.complete(null);
    }
  }

  @Test
  void deliversEveryTokenThenTheFinishThenCompletes() throws Exception {
    GenerationRequest request =
        GenerationRequest.ofIds(new int[] {1, 2}, GenerationParams.greedy(8));
    try (Scheduler scheduler = new Scheduler(model, SchedulerOptions.DEFAULT)) {
      OneByOne subscriber = new OneByOne();
      new EventPublisher(scheduler, request).subscribe(subscriber);
      assertEquals(null, subscriber.end.get(20, TimeUnit.SECONDS));
      List<GenerationEvent> events = subscriber.events;
      assertEquals(9, events.size());
      int[] ids = events.subList(0, 8).stream().mapToInt(e -> ((TokenEvent) e).tokenId()).toArray();
      assertEquals(
          java.util.Arrays.toString(Generator.generate(model, request).tokenIds()),
          java.util.Arrays.toString(ids));
      assertEquals(
          FinishReason.LENGTH,
          assertInstanceOf(GenerationEvent.Finished.class, events.get(8)).reason());
    }
  }

  @Test
  void submissionErrorsArriveAsOnError() throws Exception {
    try (Scheduler scheduler =
        new Scheduler(model, new SchedulerOptions(1, 1, new GenerationLimits(4, 1, 1, 1, 1)))) {
      OneByOne subscriber = new OneByOne();
      new EventPublisher(
              scheduler, GenerationRequest.ofIds(new int[] {1}, GenerationParams.greedy(5)))
          .subscribe(subscriber);
      assertInstanceOf(InvalidRequestException.class, subscriber.end.get(20, TimeUnit.SECONDS));
      assertTrue(subscriber.events.isEmpty());
    }
  }

  @Test
  void cancellingTheSubscriptionCancelsTheRequest() throws Exception {
    try (Scheduler scheduler = new Scheduler(model, SchedulerOptions.DEFAULT)) {
      CompletableFuture<Void> cancelled = new CompletableFuture<>();
      new EventPublisher(
              scheduler, GenerationRequest.ofIds(new int[] {1}, GenerationParams.greedy(100)))
          .subscribe(
              new OneByOne() {
                @Override
                public void onNext(GenerationEvent item) {
                  subscription.cancel();
                  cancelled.complete(null);
                }
              });
      cancelled.get(20, TimeUnit.SECONDS);
      for (int i = 0; i < 2000 && scheduler.activeSequences() > 0; i++) {
        Thread.sleep(5);
      }
      assertEquals(0, scheduler.activeSequences());
      assertEquals(0, model.openSequences());
    }
  }
}
