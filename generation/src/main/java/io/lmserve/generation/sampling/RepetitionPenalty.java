package io.lmserve.generation.sampling;

/**
 * HF's repetition penalty (CTRL paper): for every token already in the prompt or the output, a
 * positive logit is divided by the penalty and a negative one multiplied, once per distinct token.
 */
final class RepetitionPenalty {

  private RepetitionPenalty() {}

  static void apply(float[] logits, TokenHistory history, float penalty) {
    if (penalty == 1f) {
      return;
    }
    for (int i = 0; i < history.distinctCount(); i++) {
      int id = history.distinct(i);
      float v = logits[id];
      logits[id] = v < 0 ? v * penalty : v / penalty;
    }
  }
}
