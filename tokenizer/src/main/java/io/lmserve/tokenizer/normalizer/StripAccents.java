package io.lmserve.tokenizer.normalizer;

/** Removes combining marks (category M); meant to follow NFD or NFKD. */
public record StripAccents() implements Normalizer {
  @Override
  public NormalizedString normalize(NormalizedString text) {
    return text.mapCodePoints(
        (cp, out) -> {
          if (!CharClass.isMark(cp)) {
            out.append(cp);
          }
        });
  }
}
