package io.lmserve.generation;

import io.lmserve.generation.sampling.TokenLogprob;
import java.util.List;

/**
 * One generated token.
 *
 * @param index 0 for the first generated token
 * @param tokenId the token
 * @param text the text this token releases: whole characters only, possibly "" (an incomplete
 *     character, or text held back because it may begin a stop sequence), possibly more than the
 *     token's own text (held text released); never any part of a stop sequence
 * @param logprob the token's log-probability under the model's raw distribution
 * @param top the most likely alternatives at this position when asked for, most likely first
 */
public record TokenEvent(int index, int tokenId, String text, float logprob, List<TokenLogprob> top)
    implements GenerationEvent {

  public TokenEvent {
    top = List.copyOf(top);
  }
}
