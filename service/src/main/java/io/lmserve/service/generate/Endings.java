package io.lmserve.service.generate;

import io.lmserve.generation.GenerationEvent;
import io.lmserve.generation.GenerationResult;
import io.lmserve.generation.TokenEvent;
import io.lmserve.service.config.LmserveProperties;
import io.lmserve.service.errors.ApiException;
import io.lmserve.service.errors.GenerationFailedException;
import io.lmserve.service.errors.RetryLaterException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

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

  /**
   * The whole generation once it has finished: its tokens and final event, or the problem to answer
   * when it did not complete.
   */
  public Mono<GenerationResult> completed(RunningGeneration running) {
    return running
        .events()
        .collectList()
        .handle(
            (events, sink) -> {
              var finished = (GenerationEvent.Finished) events.getLast();
              ApiException problem = problem(running.model(), finished);
              if (problem != null) {
                sink.error(problem);
                return;
              }
              List<TokenEvent> tokens = new ArrayList<>();
              for (GenerationEvent event : events) {
                if (event instanceof TokenEvent token) {
                  tokens.add(token);
                }
              }
              sink.next(new GenerationResult(tokens, finished));
            });
  }

  /** A problem as the JSON members of problem+json, for the data of an SSE event. */
  public static Map<String, Object> members(ProblemDetail problem) {
    Map<String, Object> members = new LinkedHashMap<>();
    // A problem without a type is "about:blank" (RFC 9457); Spring leaves the field null then.
    members.put("type", problem.getType() == null ? "about:blank" : problem.getType().toString());
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
}
