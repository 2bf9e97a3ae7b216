package io.lmserve.service.errors;

import java.util.Map;
import org.springframework.http.HttpStatus;

/** 422: the text is longer than the model's context and the request did not ask for truncation. */
public final class ContextLengthExceededException extends ApiException {

  public ContextLengthExceededException(String model, int tokens, int contextLength) {
    this(model, tokens, contextLength, "the input", "shorten it or set truncation");
  }

  /**
   * @param what what was too long, e.g. {@code "the prompt plus max_new_tokens"}
   * @param remedy what the client can do, e.g. {@code "set truncate_prompt"}
   */
  public ContextLengthExceededException(
      String model, int tokens, int contextLength, String what, String remedy) {
    super(
        HttpStatus.UNPROCESSABLE_CONTENT,
        "Input longer than the context",
        what
            + " is "
            + tokens
            + " tokens but model '"
            + model
            + "' takes at most "
            + contextLength
            + "; "
            + remedy,
        Map.of("model", model, "tokens", tokens, "context_length", contextLength));
  }
}
