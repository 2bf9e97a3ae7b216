package io.lmserve.tokenizer.normalizer;

/**
 * BERT's normalizer: drops control characters and turns whitespace into spaces ({@code cleanText}),
 * puts spaces around CJK ideographs, strips accents (NFD then drop Mn) and lowercases one code
 * point at a time. {@code stripAccents == null} means "as lowercase", as in the original BERT.
 */
public record BertNormalizer(
    boolean cleanText, boolean handleChineseChars, Boolean stripAccents, boolean lowercase)
    implements Normalizer {

  private static final UnicodeNormalizer NFD = new UnicodeNormalizer(UnicodeNormalizer.Form.NFD);

  @Override
  public NormalizedString normalize(NormalizedString text) {
    if (cleanText) {
      text =
          text.mapCodePoints(
              (cp, out) -> {
                if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                  return;
                }
                out.append(isBertWhitespace(cp) ? ' ' : cp);
              });
    }
    if (handleChineseChars) {
      text =
          text.mapCodePoints(
              (cp, out) -> {
                if (CharClass.isChineseChar(cp)) {
                  out.append(' ').append(cp).append(' ');
                } else {
                  out.append(cp);
                }
              });
    }
    boolean strip = stripAccents != null ? stripAccents : lowercase;
    if (strip) {
      text =
          NFD.normalize(text)
              .mapCodePoints(
                  (cp, out) -> {
                    if (!CharClass.isNonSpacingMark(cp)) {
                      out.append(cp);
                    }
                  });
    }
    if (lowercase) {
      text = text.mapCodePoints(CharClass::lowercase);
    }
    return text;
  }

  private static boolean isBertWhitespace(int cp) {
    return cp == '\t' || cp == '\n' || cp == '\r' || CharClass.isWhitespace(cp);
  }

  private static boolean isControl(int cp) {
    return cp != '\t' && cp != '\n' && cp != '\r' && CharClass.isOther(cp);
  }
}
