package io.lmserve.tokenizer.pretokenizer;

import io.lmserve.tokenizer.normalizer.CharClass;
import io.lmserve.tokenizer.normalizer.IntPairs;

/**
 * A hand-written, linear-time scanner equivalent to GPT-2's pre-tokenization regex
 *
 * <pre>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</pre>
 *
 * Its matches cover the whole text, so they are the pieces.
 */
public final class Gpt2Pattern {

  private Gpt2Pattern() {}

  private static final byte LETTER = 1;
  private static final byte NUMBER = 2;
  private static final byte SPACE = 3;
  private static final byte OTHER = 4;

  /** The class of each ASCII character, so that the common case needs no Unicode lookup. */
  private static final byte[] ASCII = new byte[128];

  static {
    for (int c = 0; c < 128; c++) {
      ASCII[c] =
          CharClass.isLetter(c)
              ? LETTER
              : CharClass.isNumber(c) ? NUMBER : CharClass.isWhitespace(c) ? SPACE : OTHER;
    }
  }

  public static void findMatches(String s, IntPairs out) {
    int n = s.length();
    int i = 0;
    while (i < n) {
      int end = matchEnd(s, i, n);
      out.add(i, end);
      i = end;
    }
  }

  /**
   * The end of the match that starts at {@code i} in {@code s[.., n)}; matches cover the text, so
   * the next one starts there.
   */
  public static int matchEnd(String s, int i, int n) {
    char c = s.charAt(i);
    if (c < 0x80 && c != '\'') {
      int j = (c == ' ' && i + 1 < n) ? i + 1 : i;
      char d = s.charAt(j);
      if (d < 0x80) {
        byte k = ASCII[d];
        if (k != SPACE) {
          int end = j + 1;
          while (end < n) {
            char e = s.charAt(end);
            if (e >= 0x80 || ASCII[e] != k) {
              break;
            }
            end++;
          }
          // A non-ASCII character may continue the run: finish it the general way.
          return end < n && s.charAt(end) >= 0x80 ? continueRun(s, end, n, k) : end;
        }
      }
    }
    return matchAt(s, i, n);
  }

  private static int continueRun(String s, int from, int n, byte kind) {
    return switch (kind) {
      case LETTER -> skip(s, from, n, Gpt2Pattern::isLetter);
      case NUMBER -> skip(s, from, n, CharClass::isNumber);
      default -> skip(s, from, n, Gpt2Pattern::isOther);
    };
  }

  private static int matchAt(String s, int i, int n) {
    char c = s.charAt(i);
    if (c == '\'' && i + 1 < n) {
      char c1 = s.charAt(i + 1);
      if (c1 == 's' || c1 == 't' || c1 == 'm' || c1 == 'd') {
        return i + 2;
      }
      if (i + 2 < n) {
        char c2 = s.charAt(i + 2);
        if ((c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l')) {
          return i + 3;
        }
      }
    }
    int j = (c == ' ' && i + 1 < n) ? i + 1 : i;
    int cp = s.codePointAt(j);
    if (CharClass.isLetter(cp)) {
      return skip(s, j, n, Gpt2Pattern::isLetter);
    }
    if (CharClass.isNumber(cp)) {
      return skip(s, j, n, CharClass::isNumber);
    }
    if (!CharClass.isWhitespace(cp)) {
      return skip(s, j, n, Gpt2Pattern::isOther);
    }
    // \s+(?!\S) backs off one character when the run is followed by a non-space; \s+ then
    // takes a single whitespace character.
    int runEnd = skip(s, i, n, CharClass::isWhitespace);
    if (runEnd == n || runEnd - i == 1) {
      return runEnd;
    }
    return runEnd - 1;
  }

  private static boolean isLetter(int cp) {
    return CharClass.isLetter(cp);
  }

  private static boolean isOther(int cp) {
    return !CharClass.isWhitespace(cp) && !CharClass.isLetter(cp) && !CharClass.isNumber(cp);
  }

  private static int skip(String s, int from, int n, java.util.function.IntPredicate p) {
    int k = from;
    while (k < n) {
      int cp = s.codePointAt(k);
      if (!p.test(cp)) {
        break;
      }
      k += Character.charCount(cp);
    }
    return k;
  }
}
