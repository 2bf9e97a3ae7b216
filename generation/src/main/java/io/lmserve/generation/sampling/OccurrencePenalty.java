package io.lmserve.generation.sampling;

/**
 * OpenAI's presence and frequency penalties: {@code logit -= count * frequency + (count > 0) *
 * presence}, where count is how often the token occurs in the output so far (not the prompt).
 */
final class OccurrencePenalty {

  private OccurrencePenalty() {}

  static void apply(float[] logits, TokenHistory history, float presence, float frequency) {
    if (presence == 0f && frequency == 0f) {
      return;
    }
    for (int i = 0; i < history.distinctCount(); i++) {
      int id = history.distinct(i);
      int count = history.outputCount(id);
      if (count > 0) {
        logits[id] -= count * frequency + presence;
      }
    }
  }
}
