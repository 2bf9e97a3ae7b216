package io.lmserve.tokenizer.normalizer;

import io.lmserve.tokenizer.pretokenizer.ByteLevel;

/**
 * HF's {@code ByteLevel} normalizer: every character becomes its UTF-8 bytes written in GPT-2's
 * byte alphabet (so {@code "é"} becomes {@code "Ã©"} and a space {@code "Ġ"}), each byte aligned to
 * the character it encodes. Unlike the ByteLevel pre-tokenizer it does not split the text. A lone
 * surrogate, which has no UTF-8 form, is written as U+FFFD's bytes.
 */
public record ByteLevelNormalizer() implements Normalizer {
  @Override
  public NormalizedString normalize(NormalizedString text) {
    return text.isEmpty() ? text : ByteLevel.toBytes(text, 0, text.length());
  }
}
