package io.lmserve.tokenizer.normalizer;

/** Lowercases one code point at a time, like Rust's {@code char::to_lowercase}. */
public record Lowercase() implements Normalizer {
  @Override
  public NormalizedString normalize(NormalizedString text) {
    return text.mapCodePoints(CharClass::lowercase);
  }
}
