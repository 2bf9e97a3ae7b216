package io.lmserve.bench;

/**
 * An inference engine running one loaded model on the shapes of the engine benchmark. Every method
 * returns the wall seconds of its timed part only; inputs are random token ids.
 */
interface Engine extends AutoCloseable {

  String name();

  /** A causal LM's prompt of {@code tokens} into an empty KV cache, logits of the last position. */
  double prefill(int tokens);

  /**
   * {@code batch} sequences each prefilled with {@code prompt} tokens (not timed), then {@code
   * newTokens} greedy steps of all of them together (timed).
   */
  double decode(int batch, int prompt, int newTokens);

  /** A masked LM's logits for {@code batch} sequences of {@code length} tokens, all attended. */
  double maskedLm(int batch, int length);

  @Override
  default void close() {}
}
