package io.lmserve.tokenizer.training;

import java.util.function.Consumer;

/**
 * Turns one line of the corpus into the words a trainer counts: the trainer type's normalization
 * and pre-tokenization, applied the way the trained tokenizer will apply them when encoding.
 * Implementations are stateless and thread-safe.
 */
@FunctionalInterface
public interface WordSplitter {

  /** Gives {@code words} every word of {@code line}, in order; empty words are never given. */
  void split(String line, Consumer<String> words);
}
