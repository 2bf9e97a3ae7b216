package io.lmserve.transformer;

/**
 * One sequence being generated: the tokens fed so far live in a KV cache allocated once, so step t
 * costs O(t) and allocates nothing in the model. Not thread-safe: one caller at a time.
 */
public interface Session extends AutoCloseable {

  /** Feeds {@code tokens} after what the session holds; returns the last position's logits. */
  float[] prefill(int[] tokens);

  /** Like {@link #prefill} but returns the logits at every fed position (scoring, perplexity). */
  float[][] prefillAllLogits(int[] tokens);

  /** Feeds one token; returns the next-token logits. */
  float[] decode(int token);

  /** Tokens held so far. */
  int length();

  /** Tokens the cache can hold. */
  int capacity();

  /** Forgets every token, keeping the allocated cache. */
  void reset();

  /** Frees the cache; the session cannot be used afterwards. */
  @Override
  void close();
}
