package io.lmserve.tokenizer.normalizer;

/**
 * Character classes with the meaning HF tokenizers (Rust) gives them, which is not always Java's:
 * Rust's {@code char::is_whitespace} is the Unicode White_Space property (it includes U+00A0 and
 * U+3000, which {@link Character#isWhitespace} does not).
 */
public final class CharClass {

  private CharClass() {}

  /** Unicode White_Space (Rust {@code char::is_whitespace}). */
  public static boolean isWhitespace(int cp) {
    if (cp < 0x80) {
      return cp == ' ' || (cp >= 0x09 && cp <= 0x0D);
    }
    return cp == 0x85
        || cp == 0xA0
        || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200A)
        || cp == 0x2028
        || cp == 0x2029
        || cp == 0x202F
        || cp == 0x205F
        || cp == 0x3000;
  }

  /** General category L (Lu, Ll, Lt, Lm, Lo), as regex {@code \p{L}}. */
  public static boolean isLetter(int cp) {
    return Character.isLetter(cp);
  }

  /** General category N (Nd, Nl, No), as regex {@code \p{N}}. */
  public static boolean isNumber(int cp) {
    int type = Character.getType(cp);
    return type == Character.DECIMAL_DIGIT_NUMBER
        || type == Character.LETTER_NUMBER
        || type == Character.OTHER_NUMBER;
  }

  /** Rust {@code char::is_alphanumeric}: Alphabetic or Numeric. */
  public static boolean isAlphanumeric(int cp) {
    return Character.isAlphabetic(cp) || isNumber(cp);
  }

  /** General category P (Pc, Pd, Ps, Pe, Pi, Pf, Po) as HF's tables have it. */
  public static boolean isPunctuation(int cp) {
    return HfUnicodeTables.corrected(
        cp,
        isJavaPunctuation(cp),
        HfUnicodeTables.PUNCTUATION_ADDED,
        HfUnicodeTables.PUNCTUATION_REMOVED);
  }

  private static boolean isJavaPunctuation(int cp) {
    return switch (Character.getType(cp)) {
      case Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION ->
          true;
      default -> false;
    };
  }

  /** ASCII punctuation or Unicode P: what BERT splits off as its own word. */
  public static boolean isBertPunctuation(int cp) {
    return (cp >= 33 && cp <= 47)
        || (cp >= 58 && cp <= 64)
        || (cp >= 91 && cp <= 96)
        || (cp >= 123 && cp <= 126)
        || isPunctuation(cp);
  }

  /** General category C (Cc, Cf, Cs, Co, Cn). */
  public static boolean isOther(int cp) {
    return switch (Character.getType(cp)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.SURROGATE,
          Character.PRIVATE_USE,
          Character.UNASSIGNED ->
          true;
      default -> false;
    };
  }

  /** General category Mn as HF's tables have it (what BERT's strip_accents removes). */
  public static boolean isNonSpacingMark(int cp) {
    return HfUnicodeTables.corrected(
        cp,
        Character.getType(cp) == Character.NON_SPACING_MARK,
        HfUnicodeTables.NON_SPACING_MARK_ADDED,
        HfUnicodeTables.NON_SPACING_MARK_REMOVED);
  }

  /**
   * HF's {@code is_combining_mark} (what StripAccents removes): category M as its tables have it.
   */
  public static boolean isCombiningMark(int cp) {
    return HfUnicodeTables.corrected(
        cp,
        isMark(cp),
        HfUnicodeTables.COMBINING_MARK_ADDED,
        HfUnicodeTables.COMBINING_MARK_REMOVED);
  }

  /** General category M (Mn, Mc, Me). */
  public static boolean isMark(int cp) {
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }

  /**
   * The CJK ideograph blocks BERT surrounds with spaces, as HF tokenizers has them: its fifth range
   * starts at U+2B920, so U+2B820..U+2B91F are plain letters to it (checked live on every code
   * point).
   */
  public static boolean isChineseChar(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF)
        || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x20000 && cp <= 0x2A6DF)
        || (cp >= 0x2A700 && cp <= 0x2B73F)
        || (cp >= 0x2B740 && cp <= 0x2B81F)
        || (cp >= 0x2B920 && cp <= 0x2CEAF) // sic: HF's range (BERT's Python has 0x2B820)
        || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }

  /**
   * Rust's {@code char::to_lowercase} of one code point, written to {@code out}: the simple
   * mapping, except U+0130 whose full lowercase is two code points. No context (Greek final sigma
   * stays σ), unlike {@link String#toLowerCase}.
   */
  public static void lowercase(int cp, NormalizedString.Builder out) {
    if (cp == 0x130) {
      out.append('i');
      out.append(0x307);
    } else {
      out.append(Character.toLowerCase(cp));
    }
  }
}
