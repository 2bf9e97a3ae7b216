package io.lmserve.tokenizer.normalizer;

/** Removes combining marks (HF's {@code is_combining_mark}); meant to follow NFD or NFKD. */
public record StripAccents() implements Normalizer {
  @Override
  public NormalizedString normalize(NormalizedString text) {
    return text.mapCodePoints(
        (cp, out) -> {
          if (!CharClass.isCombiningMark(cp)) {
            out.append(cp);
          }
        });
  }
}
