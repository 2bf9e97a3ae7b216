package io.lmserve.generation.sampling;

import java.util.List;

/**
 * The chosen token, its log-probability under the model's raw distribution (before penalties,
 * temperature and filters, like vLLM's default) and the {@code top} most likely alternatives under
 * that same distribution, most likely first (empty unless asked for).
 */
public record TokenChoice(int id, float logprob, List<TokenLogprob> top) {

  public TokenChoice {
    top = List.copyOf(top);
  }
}
