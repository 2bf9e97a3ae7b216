package io.lmserve.tokenizer.normalizer;

/**
 * First stage of the pipeline: rewrites text (case, Unicode form, accents, spaces) while keeping
 * every unit aligned to the original text. Implementations are immutable and thread-safe.
 */
public interface Normalizer {

  NormalizedString normalize(NormalizedString text);

  /** Convenience for tests and for normalizing added tokens: the normalized text of {@code s}. */
  default String normalize(String s) {
    return normalize(NormalizedString.of(s)).normalized();
  }
}
