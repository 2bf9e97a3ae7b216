package io.lmserve.service.generate;

import io.lmserve.generation.FinishReason;
import io.lmserve.generation.GenerationEvent;
import io.lmserve.service.config.LmserveProperties;
import io.lmserve.service.errors.ApiException;
import io.lmserve.service.errors.GenerationFailedException;
import io.lmserve.service.errors.RetryLaterException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * How generations that did not complete are told to clients: a failed model is a 500 problem, a
 * generation the server cancelled (deadline, shutdown) a 503 with Retry-After. Streams carry the
 * same problem as the data of their last event.
 */
@Component
public class Endings {

  private final LmserveProperties properties;

  Endings(LmserveProperties properties) {
    this.properties = properties;
  }

  /** The problem for an answer that could not complete; null when it completed. */
  public ApiException problem(String model, GenerationEvent.Finished finished) {
    return switch (finished.reason()) {
      case ERROR -> new GenerationFailedException(model, finished.message());
      case CANCELLED ->
          RetryLaterException.generationCancelled(
              finished.message(), properties.limits().retryAfter());
      case LENGTH, STOP, EOS -> null;
    };
  }

  /** A problem as the JSON members of problem+json, for the data of an SSE event. */
  public static Map<String, Object> members(ProblemDetail problem) {
    Map<String, Object> members = new LinkedHashMap<>();
    members.put("type", problem.getType().toString());
    members.put("title", problem.getTitle());
    members.put("status", problem.getStatus());
    members.put("detail", problem.getDetail());
    if (problem.getProperties() != null) {
      members.putAll(problem.getProperties());
    }
    return members;
  }

  /** A failure after a stream started, as problem members. */
  public static Map<String, Object> members(String model, Throwable error) {
    if (error instanceof ApiException api) {
      return members(api.getBody());
    }
    return members(new GenerationFailedException(model, "the stream failed").getBody());
  }

  static boolean completed(FinishReason reason) {
    return reason == FinishReason.LENGTH
        || reason == FinishReason.STOP
        || reason == FinishReason.EOS;
  }
}
