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
    // The four steps in HF's order, fused into as few passes as their order allows.
    if (cleanText || handleChineseChars) {
      text =
          text.mapCodePoints(
              (cp, out) -> {
                if (cleanText) {
                  if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                    return;
                  }
                  if (isBertWhitespace(cp)) {
                    cp = ' ';
                  }
                }
                if (handleChineseChars && CharClass.isChineseChar(cp)) {
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
                    if (CharClass.isNonSpacingMark(cp)) {
                      return;
                    }
                    if (lowercase) {
                      CharClass.lowercase(cp, out);
                    } else {
                      out.append(cp);
                    }
                  });
    } else if (lowercase) {
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
