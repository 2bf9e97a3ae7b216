package io.lmserve.service.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lmserve.service.config.LmserveProperties;
import io.lmserve.service.errors.RetryLaterException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** Where tokenization runs: small inputs in place, large ones on the bounded workers, or 429. */
class OffloaderTest {

  private final LmserveProperties properties =
      new LmserveProperties(
          Path.of("."),
          null,
          null,
          null,
          Map.of(),
          new LmserveProperties.Limits(10, 10, 10, 10, 10, Duration.ofSeconds(3)),
          new LmserveProperties.Caches(DataSize.ofKilobytes(1), 1),
          new LmserveProperties.Tokenization(100, 1, 1),
          LmserveProperties.Generation.DEFAULTS,
          LmserveProperties.FillMask.DEFAULTS);
  private final Scheduler workers = Schedulers.newBoundedElastic(1, 1, "tokenize");
  private final Offloader offloader = new Offloader(workers, properties);

  @AfterEach
  void stop() {
    workers.dispose();
  }

  @Test
  void smallInputsStayOnTheCallingThread() {
    String caller = Thread.currentThread().getName();
    assertThat(offloader.run(100, () -> Thread.currentThread().getName()).block())
        .isEqualTo(caller);
  }

  @Test
  void largeInputsRunOnTheTokenizationWorkers() {
    assertThat(offloader.run(101, () -> Thread.currentThread().getName()).block())
        .startsWith("tokenize");
  }

  @Test
  void aFullQueueIs429() throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // One worker busy, one request queued: the next one is refused.
    offloader
        .run(
            1000,
            () -> {
              running.countDown();
              return release.await(30, TimeUnit.SECONDS);
            })
        .subscribe();
    assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
    offloader.run(1000, () -> true).subscribe();
    Mono<Boolean> refused = offloader.run(1000, () -> true);
    assertThatThrownBy(refused::block)
        .isInstanceOf(RetryLaterException.class)
        .satisfies(
            e -> {
              RetryLaterException retry = (RetryLaterException) e;
              assertThat(retry.getStatusCode().value()).isEqualTo(429);
              assertThat(retry.getHeaders().getFirst("Retry-After")).isEqualTo("3");
            });
    release.countDown();
  }
}
