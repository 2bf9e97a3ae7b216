package io.lmserve.generation;

import io.lmserve.tokenizer.Tokenizer;
import java.time.Instant;
import java.util.OptionalInt;

/**
 * Turns text prompts into generation requests with a model's tokenizer: checks the prompt's size
 * before tokenizing, encodes it the tokenizer's default way, and gives the request its own
 * DecodeStream so streamed text never splits a character. Immutable and thread-safe.
 */
public final class TextPrompts {

  private final Tokenizer tokenizer;
  private final GenerationLimits limits;
  private final OptionalInt bosTokenId;

  /**
   * @param bosTokenId the model's BOS token, which stands in for an empty prompt; empty: an empty
   *     prompt is an error
   */
  public TextPrompts(Tokenizer tokenizer, GenerationLimits limits, OptionalInt bosTokenId) {
    this.tokenizer = tokenizer;
    this.limits = limits;
    this.bosTokenId = bosTokenId;
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /**
   * The request for {@code prompt}.
   *
   * @throws InvalidRequestException naming the field for a too long prompt or parameters beyond the
   *     limits
   */
  public GenerationRequest request(String prompt, GenerationParams params, Instant deadline) {
    limits.checkPrompt(prompt);
    limits.check(params);
    int[] ids = tokenizer.encode(prompt).ids();
    if (ids.length == 0 && bosTokenId.isPresent()) {
      ids = new int[] {bosTokenId.getAsInt()};
    }
    return new GenerationRequest(
        ids, params, TextDecoder.of(tokenizer.decodeStream(true)), deadline);
  }
}
