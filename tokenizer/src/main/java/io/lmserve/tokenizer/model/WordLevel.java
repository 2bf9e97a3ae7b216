package io.lmserve.tokenizer.model;

import io.lmserve.tokenizer.UnencodableTextException;

/** One id per whole word, or the unknown token. */
public record WordLevel(Vocabulary vocabulary, String unkToken) implements Model {
  @Override
  public void tokenize(String word, TokenSink sink) {
    int id = vocabulary.get(word);
    if (id < 0) {
      id = unkToken == null ? -1 : vocabulary.get(unkToken);
      if (id < 0) {
        throw new UnencodableTextException(
            "WordLevel: '" + word + "' is not in the vocabulary and there is no unk token");
      }
    }
    sink.token(id, 0, word.length());
  }
}
