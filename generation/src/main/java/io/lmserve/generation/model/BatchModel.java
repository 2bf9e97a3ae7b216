package io.lmserve.generation.model;

import java.util.List;
import java.util.OptionalInt;

/**
 * What generation needs from a causal language model: sequences with their own KV cache and one
 * batched decode step over many of them. The seam between generation and the engine, so the
 * scheduler can be tested with a deterministic fake. Implementations are thread-safe; a sequence is
 * used by one thread at a time.
 */
public interface BatchModel {

  int vocabSize();

  /** Most tokens a sequence can hold (prompt plus generated). */
  int contextLength();

  OptionalInt eosTokenId();

  /** A new empty sequence holding up to {@code capacity} tokens; the caller closes it. */
  Sequence newSequence(int capacity);

  /**
   * One forward step for every sequence at once: appends {@code tokens[i]} to {@code
   * sequences.get(i)} and returns its next-position logits in row i.
   */
  float[][] decodeBatch(List<Sequence> sequences, int[] tokens);
}
