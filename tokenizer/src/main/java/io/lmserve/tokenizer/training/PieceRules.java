package io.lmserve.tokenizer.training;

/**
 * SentencePiece's rules for what may be a piece: not longer than a limit, {@code ▁} only as the
 * first character, no NUL, space, tab or U+2585 (SentencePiece's unknown stand-in), and all other
 * characters of one Unicode script (Hiragana and Katakana count as Han; Common and Inherited are
 * scripts of their own, so "a," and "a1" are not pieces).
 */
final class PieceRules {

  private PieceRules() {}

  static boolean isValid(int[] codePoints, int from, int to, int maxLength) {
    int length = to - from;
    if (length < 1 || length > maxLength) {
      return false;
    }
    Character.UnicodeScript previous = null;
    for (int i = from; i < to; i++) {
      int cp = codePoints[i];
      if (cp == 0 || cp == ' ' || cp == '\t' || cp == 0x2585 || cp < 0 || cp > 0x10FFFF) {
        return false;
      }
      if (cp >= 0xD800 && cp <= 0xDFFF) {
        return false;
      }
      if (cp == TrainingPipeline.META) {
        if (i > from) {
          return false;
        }
        continue;
      }
      Character.UnicodeScript script = scriptOf(cp);
      if (previous != null && previous != script) {
        return false;
      }
      previous = script;
    }
    return true;
  }

  static boolean isValid(String piece, int maxLength) {
    int[] cps = piece.codePoints().toArray();
    return isValid(cps, 0, cps.length, maxLength);
  }

  private static Character.UnicodeScript scriptOf(int cp) {
    if (cp == 0x30FC) {
      return Character.UnicodeScript.HAN;
    }
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return switch (script) {
      case HIRAGANA, KATAKANA -> Character.UnicodeScript.HAN;
      default -> script;
    };
  }
}
