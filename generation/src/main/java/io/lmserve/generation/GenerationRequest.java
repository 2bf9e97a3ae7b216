package io.lmserve.generation;

import static io.lmserve.generation.InvalidRequestException.require;

import java.time.Instant;

/**
 * One generation to run: prompt ids, parameters, how to turn tokens into text, and an optional
 * deadline.
 *
 * @param promptIds the prompt, at least one token
 * @param params what to generate
 * @param textDecoder this request's own incremental decoder ({@link TextDecoder#of} a tokenizer's
 *     DecodeStream); {@link #NO_TEXT} for id-only requests, which cannot use stop sequences
 * @param deadline when the request is cancelled if still running; null for none
 */
public record GenerationRequest(
    int[] promptIds, GenerationParams params, TextDecoder textDecoder, Instant deadline) {

  /** The decoder of id-only requests: every token has empty text. */
  public static final TextDecoder NO_TEXT = TextDecoder.NONE;

  public GenerationRequest {
    require(promptIds != null && promptIds.length > 0, "prompt", "must have at least one token");
    require(params != null, "params", "must be given");
    require(textDecoder != null, "textDecoder", "must be given (NO_TEXT for id-only requests)");
    require(
        textDecoder != NO_TEXT || params.stop().isEmpty(),
        "stop",
        "stop sequences need a text decoder (a tokenizer)");
    promptIds = promptIds.clone();
  }

  /** An id-only request without deadline. */
  public static GenerationRequest ofIds(int[] promptIds, GenerationParams params) {
    return new GenerationRequest(promptIds, params, NO_TEXT, null);
  }

  public GenerationRequest withDeadline(Instant value) {
    return new GenerationRequest(promptIds, params, textDecoder, value);
  }
}
