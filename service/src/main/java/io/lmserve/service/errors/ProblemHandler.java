package io.lmserve.service.errors;

import io.lmserve.generation.InvalidRequestException;
import io.lmserve.generation.schedule.QueueFullException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ContentTooLargeException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;

/**
 * Turns every failure into {@code application/problem+json}. Client mistakes get a 4xx whose detail
 * names the field as the client spelled it (JSON path, snake_case); only a defect of ours is a 500.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

  private static final Log log = LogFactory.getLog(ProblemHandler.class);

  private final DataSize maxBody;
  private final Duration retryAfter;

  /**
   * @param maxBody the body limit, to tell clients what it is
   * @param retryAfter what {@code Retry-After} says when the generation queue is full
   */
  public ProblemHandler(
      @Value("${spring.http.codecs.max-in-memory-size:256KB}") DataSize maxBody,
      @Value("${lmserve.limits.retry-after:5s}") Duration retryAfter) {
    this.maxBody = maxBody;
    this.retryAfter = retryAfter;
  }

  /** The generation library refused a parameter; it names the field in the request's spelling. */
  @ExceptionHandler(InvalidRequestException.class)
  public Mono<ResponseEntity<Object>> handleInvalidGenerationRequest(
      InvalidRequestException ex, ServerWebExchange exchange) {
    String prefix = ex.field() + ": ";
    String message = ex.getMessage();
    return handleErrorResponseException(
        new InvalidFieldException(
            ex.field(), message.startsWith(prefix) ? message.substring(prefix.length()) : message),
        new HttpHeaders(),
        HttpStatus.BAD_REQUEST,
        exchange);
  }

  /** The generation scheduler's queue is full: 429 with {@code Retry-After}. */
  @ExceptionHandler(QueueFullException.class)
  public Mono<ResponseEntity<Object>> handleQueueFull(
      QueueFullException ex, ServerWebExchange exchange) {
    RetryLaterException retry =
        RetryLaterException.queueFull("generation", ex.capacity(), retryAfter);
    return handleErrorResponseException(retry, retry.getHeaders(), retry.getStatusCode(), exchange);
  }

  /**
   * Bean Validation failures on a request body: every offending field, in the client's spelling.
   */
  @Override
  protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(
      WebExchangeBindException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      ServerWebExchange exchange) {
    List<Map<String, String>> errors =
        ex.getFieldErrors().stream()
            .map(
                e ->
                    Map.of(
                        "field",
                        JsonNames.of(e.getField()),
                        "message",
                        String.valueOf(e.getDefaultMessage())))
            .toList();
    ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.BAD_REQUEST);
    problem.setTitle("Invalid request field");
    if (errors.isEmpty()) {
      problem.setDetail(
          ex.getGlobalError() != null
              ? ex.getGlobalError().getDefaultMessage()
              : "the request body is invalid");
    } else {
      problem.setDetail(
          String.join(
              "; ",
              errors.stream()
                  .map(e -> "field '" + e.get("field") + "': " + e.get("message"))
                  .toList()));
      problem.setProperty("field", errors.getFirst().get("field"));
      problem.setProperty("errors", errors);
    }
    return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, exchange);
  }

  /**
   * Unreadable bodies: malformed JSON, a value of the wrong type, an unknown enum constant. Jackson
   * knows the path of the offending value; the client gets it as {@code field}.
   */
  @Override
  protected Mono<ResponseEntity<Object>> handleServerWebInputException(
      ServerWebInputException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      ServerWebExchange exchange) {
    if (causeOf(ex, DataBufferLimitException.class) instanceof DataBufferLimitException limit) {
      return handleBodyTooLarge(limit, exchange);
    }
    ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.BAD_REQUEST);
    problem.setTitle("Unreadable request body");
    Throwable jackson = causeOf(ex, JacksonException.class);
    if (jackson instanceof StreamReadException syntax && syntax.getPath().isEmpty()) {
      problem.setDetail("malformed JSON: " + syntax.getOriginalMessage());
    } else if (jackson instanceof JacksonException json) {
      String field = JsonNames.path(json.getPath());
      problem.setDetail(
          (field.isEmpty() ? "" : "field '" + field + "': ") + JsonNames.reason(json));
      if (!field.isEmpty()) {
        problem.setProperty("field", field);
      }
    } else {
      problem.setDetail(ex.getReason() != null ? ex.getReason() : "the request cannot be read");
    }
    return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, exchange);
  }

  /** The body is over {@code spring.http.codecs.max-in-memory-size}. */
  @ExceptionHandler({ContentTooLargeException.class, DataBufferLimitException.class})
  public Mono<ResponseEntity<Object>> handleBodyTooLarge(Exception ex, ServerWebExchange exchange) {
    ApiException tooLarge = new LimitExceededException("request body", maxBody.toBytes(), "bytes");
    return handleExceptionInternal(
        ex, tooLarge.getBody(), new HttpHeaders(), tooLarge.getStatusCode(), exchange);
  }

  /** A defect of ours: logged with its stack trace, answered without internals. */
  @ExceptionHandler(Exception.class)
  public Mono<ResponseEntity<Object>> handleUnexpected(Exception ex, ServerWebExchange exchange) {
    log.error("Unhandled error on " + exchange.getRequest().getPath(), ex);
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.INTERNAL_SERVER_ERROR, "internal error; the server log has the details");
    problem.setTitle("Internal error");
    return handleExceptionInternal(
        ex, problem, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, exchange);
  }

  private static Throwable causeOf(Throwable ex, Class<? extends Throwable> type) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return t;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}
