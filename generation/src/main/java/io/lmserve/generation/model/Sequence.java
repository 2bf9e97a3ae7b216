package io.lmserve.generation.model;

/**
 * One sequence's state inside a {@link BatchModel}: its KV cache. Used by one thread at a time;
 * {@link #close} frees the cache.
 */
public interface Sequence extends AutoCloseable {

  /** Runs the prompt; returns the logits of its last position. */
  float[] prefill(int[] tokens);

  /** Appends one token; returns the logits for the next position. */
  float[] decode(int token);

  /** Tokens in the cache. */
  int length();

  /** Memory held by this sequence's cache, for the gauges. */
  long cacheBytes();

  @Override
  void close();
}
