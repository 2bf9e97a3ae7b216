package io.lmserve.service.errors;

import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * A request that may succeed later: 503 while a model loads, 429 when the generation queue is full.
 * Both carry {@code Retry-After} in whole seconds.
 */
public final class RetryLaterException extends ApiException {

  private final HttpHeaders headers = new HttpHeaders();

  private RetryLaterException(
      HttpStatus status, String title, String detail, Duration retryAfter, Map<String, ?> props) {
    super(status, title, detail, props);
    headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
  }

  public static RetryLaterException modelLoading(String model, Duration retryAfter) {
    return new RetryLaterException(
        HttpStatus.SERVICE_UNAVAILABLE,
        "Model loading",
        "model '" + model + "' is still loading; retry later",
        retryAfter,
        Map.of("model", model));
  }

  public static RetryLaterException modelFailed(String model, String reason, Duration retryAfter) {
    return new RetryLaterException(
        HttpStatus.SERVICE_UNAVAILABLE,
        "Model unavailable",
        "model '" + model + "' could not be loaded: " + reason,
        retryAfter,
        Map.of("model", model));
  }

  /** 503: the service is shutting down and admits no new generations. */
  public static RetryLaterException shuttingDown(Duration retryAfter) {
    return new RetryLaterException(
        HttpStatus.SERVICE_UNAVAILABLE,
        "Shutting down",
        "the service is shutting down and takes no new generations; retry on another instance",
        retryAfter,
        Map.of());
  }

  /** 503: the generation was cancelled by the server (deadline or shutdown) before it finished. */
  public static RetryLaterException generationCancelled(String reason, Duration retryAfter) {
    return new RetryLaterException(
        HttpStatus.SERVICE_UNAVAILABLE,
        "Generation cancelled",
        "the generation was cancelled before it finished: " + reason,
        retryAfter,
        Map.of());
  }

  /**
   * 429: a bounded queue is full.
   *
   * @param queue what waits in it, e.g. {@code "generation"}, {@code "tokenization"}
   */
  public static RetryLaterException queueFull(String queue, int capacity, Duration retryAfter) {
    return new RetryLaterException(
        HttpStatus.TOO_MANY_REQUESTS,
        "Too many requests",
        "the " + queue + " queue is full (" + capacity + " waiting); retry later",
        retryAfter,
        Map.of("queue", queue, "capacity", capacity));
  }

  @Override
  public HttpHeaders getHeaders() {
    return headers;
  }
}
