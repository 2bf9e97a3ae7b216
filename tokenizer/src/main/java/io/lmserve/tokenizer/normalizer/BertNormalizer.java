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

  /**
   * HF's {@code is_control}: the "other" categories as its Unicode tables know them, which differs
   * from Java's in two ways (found by comparing every code point live): unassigned code points (Cn)
   * are never controls, and format characters added to Unicode after those tables (U+0890, U+0891,
   * U+08E2, U+110CD, U+13430..U+1343F) are not either. So clean_text keeps them.
   */
  private static boolean isControl(int cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') {
      return false;
    }
    return switch (Character.getType(cp)) {
      case Character.CONTROL, Character.PRIVATE_USE, Character.SURROGATE -> true;
      case Character.FORMAT ->
          !(cp == 0x890 || cp == 0x891 || cp == 0x8E2 || cp == 0x110CD)
              && !(cp >= 0x13430 && cp <= 0x1343F);
      default -> false;
    };
  }
}
