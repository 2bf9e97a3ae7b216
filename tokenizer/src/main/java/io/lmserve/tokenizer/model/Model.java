package io.lmserve.tokenizer.model;

import java.util.OptionalInt;

/**
 * Third stage: turns one pre-tokenized word into vocabulary ids. Offsets it reports are UTF-16
 * indices into the word it was given. Implementations are immutable and thread-safe.
 */
public interface Model {

  /** Tokenizes {@code word} (never empty), reporting each token to {@code sink} in order. */
  void tokenize(String word, TokenSink sink);

  Vocabulary vocabulary();

  default int vocabSize() {
    return vocabulary().size();
  }

  default OptionalInt tokenToId(String token) {
    return vocabulary().id(token);
  }

  /** The token of {@code id}, or null if the model has none. */
  default String idToToken(int id) {
    return vocabulary().token(id);
  }

  /** Receives the tokens of a word: id and the UTF-16 range {@code [start, end)} in the word. */
  @FunctionalInterface
  interface TokenSink {
    void token(int id, int start, int end);

    /**
     * A token whose text in the encoding is {@code surface} instead of its vocabulary entry, as
     * SentencePiece shows a run of unknown characters as the characters themselves.
     */
    default void token(int id, String surface, int start, int end) {
      token(id, start, end);
    }
  }
}
