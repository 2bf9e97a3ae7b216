package io.lmserve.service.tokenize;

import io.lmserve.service.config.LmserveProperties;
import io.lmserve.service.errors.RetryLaterException;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Runs tokenization work: small inputs right where the request arrived (a hop to another thread
 * would cost more than the work), large ones on the bounded tokenization scheduler so Netty's event
 * loop stays free. When that scheduler's queue is full the request gets 429.
 */
@Component
public class Offloader {

  private final Scheduler scheduler;
  private final LmserveProperties properties;

  Offloader(@Qualifier("tokenizationScheduler") Scheduler scheduler, LmserveProperties properties) {
    this.scheduler = scheduler;
    this.properties = properties;
  }

  /** {@code work} over {@code chars} characters of input, as a Mono. */
  public <T> Mono<T> run(long chars, Callable<T> work) {
    if (chars <= properties.tokenization().offloadThresholdChars()) {
      return Mono.fromCallable(work);
    }
    return offload(work);
  }

  /** {@code work} on the bounded workers whatever its size (a model's forward pass, say). */
  public <T> Mono<T> offload(Callable<T> work) {
    return Mono.fromCallable(work)
        .subscribeOn(scheduler)
        .onErrorMap(
            RejectedExecutionException.class,
            e ->
                RetryLaterException.queueFull(
                    "tokenization",
                    properties.tokenization().queueCapacity(),
                    properties.limits().retryAfter()));
  }
}
