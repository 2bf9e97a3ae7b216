package io.lmserve.service.generate;

import io.lmserve.generation.GenerationEvent;
import io.lmserve.generation.GenerationRequest;
import io.lmserve.generation.schedule.RequestHandle;
import io.lmserve.generation.schedule.Scheduler;
import io.lmserve.tokenizer.Tokenizer;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * A generation submitted to its model's scheduler, as a {@link Flux} of its events. The scheduler
 * thread hands each event to a unicast sink and returns at once; the sink keeps it until the
 * subscriber asks (bounded: a request has at most max_new_tokens + 1 events), so a slow client
 * never stalls the batch, and cancelling the subscription (client gone) cancels the request, which
 * leaves the batch before the next step.
 *
 * @param model the served model's name
 * @param tokenizer the model's tokenizer, to spell alternative tokens
 * @param promptTokens prompt tokens before any truncation
 * @param handle cancels the request (what a departing client and shutdown do)
 */
public record RunningGeneration(
    String model,
    Tokenizer tokenizer,
    int promptTokens,
    RequestHandle handle,
    Flux<GenerationEvent> events) {

  /**
   * Submits {@code request}; every event goes to {@code observer} first (on the scheduler thread,
   * in order), then to the Flux.
   *
   * @throws io.lmserve.generation.schedule.QueueFullException when the scheduler's queue is full
   * @throws io.lmserve.generation.InvalidRequestException when the request does not fit the model
   */
  static RunningGeneration submit(
      String model,
      Tokenizer tokenizer,
      Scheduler scheduler,
      GenerationRequest request,
      Consumer<GenerationEvent> observer) {
    Sinks.Many<GenerationEvent> sink = Sinks.many().unicast().onBackpressureBuffer();
    RequestHandle handle =
        scheduler.submit(
            request,
            event -> {
              observer.accept(event);
              sink.tryEmitNext(event);
              if (event instanceof GenerationEvent.Finished) {
                sink.tryEmitComplete();
              }
            });
    return new RunningGeneration(
        model,
        tokenizer,
        request.promptIds().length,
        handle,
        sink.asFlux().doOnCancel(handle::cancel));
  }
}
