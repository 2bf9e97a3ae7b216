package io.lmserve.service.errors;

import java.util.Map;
import org.springframework.http.HttpStatus;

/** 400: a request field has a value the service cannot use; {@code field} names it as sent. */
public final class InvalidFieldException extends ApiException {

  public InvalidFieldException(String field, String message) {
    super(
        HttpStatus.BAD_REQUEST,
        "Invalid request field",
        "field '" + field + "': " + message,
        Map.of("field", field));
  }
}
