package io.lmserve.service.errors;

import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * 413: a size the client controls (text length, batch size, number of ids, body) is over its limit.
 */
public final class LimitExceededException extends ApiException {

  /**
   * @param what the field or quantity, as the client knows it (e.g. {@code "texts"})
   * @param unit what is counted (e.g. {@code "characters"})
   */
  public LimitExceededException(String what, long actual, long limit, String unit) {
    super(
        HttpStatus.CONTENT_TOO_LARGE,
        "Request over limit",
        what + " has " + actual + " " + unit + "; the limit is " + limit,
        Map.of("field", what, "limit", limit, "actual", actual));
  }

  /** When only the limit is known (the body was cut off while being read). */
  public LimitExceededException(String what, long limit, String unit) {
    super(
        HttpStatus.CONTENT_TOO_LARGE,
        "Request over limit",
        what + " is over the limit of " + limit + " " + unit,
        Map.of("field", what, "limit", limit));
  }
}
