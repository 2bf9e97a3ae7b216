package io.lmserve.service.errors;

import java.util.Map;
import org.springframework.http.HttpStatus;

/** 422: the text is longer than the model's context and the request did not ask for truncation. */
public final class ContextLengthExceededException extends ApiException {

  public ContextLengthExceededException(String model, int tokens, int contextLength) {
    super(
        HttpStatus.UNPROCESSABLE_CONTENT,
        "Input longer than the context",
        "the input is "
            + tokens
            + " tokens but model '"
            + model
            + "' takes at most "
            + contextLength
            + "; shorten it or set truncation",
        Map.of("model", model, "tokens", tokens, "context_length", contextLength));
  }
}
