package io.lmserve.tokenizer.normalizer;

/** Puts {@code prepend} before non-empty text, aligned to the text's first character. */
public record Prepend(String prepend) implements Normalizer {
  @Override
  public NormalizedString normalize(NormalizedString text) {
    if (text.isEmpty() || prepend.isEmpty()) {
      return text;
    }
    NormalizedString.Builder out = text.builder();
    out.setSource(text.alignStart(0), text.alignEnd(0)).append(prepend);
    for (int i = 0; i < text.length(); i++) {
      out.setSource(text.alignStart(i), text.alignEnd(i)).append(text.charAt(i));
    }
    return out.build();
  }
}
