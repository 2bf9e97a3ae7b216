package io.lmserve.tokenizer;

import static io.lmserve.testkit.RandomCases.codePoints;
import static io.lmserve.testkit.RandomCases.frequency;
import static io.lmserve.testkit.RandomCases.joined;
import static io.lmserve.testkit.RandomCases.oneOf;

import io.lmserve.testkit.RandomCases.Gen;
import io.lmserve.testkit.RandomCases.Weighted;

/** Random text from every corner of Unicode, and the odd strings only Java can hold. */
final class UnicodeTexts {

  private UnicodeTexts() {}

  static Gen<String> any() {
    Gen<String> ascii = joined(codePoints(' ', '~'), 1, 6);
    Gen<String> words = oneOf("hello", " world", "Ünïcödé", "İstanbul", "ΣΟΦΙΑ", "naïve", "ﬁne");
    Gen<String> bmp = codePoints(0, 0xFFFF);
    Gen<String> astral = codePoints(0x10000, 0x10FFFF);
    Gen<String> combining = codePoints(0x300, 0x36F);
    // C0 and C1 controls with DEL, each of the 65 as likely.
    Gen<String> controls =
        frequency(
            new Weighted<>(0x20, codePoints(0, 0x1F)),
            new Weighted<>(0x21, codePoints(0x7F, 0x9F)));
    Gen<String> emoji =
        oneOf("👨‍👩‍👧‍👦", "🏳️‍🌈", "👍🏽", "❤️", "🇫🇷", "😀", "🤖", "\u200D", "\uFE0F");
    Gen<String> cjk = codePoints(0x4E00, 0x9FFF);
    Gen<String> spaces =
        oneOf(" ", "  ", "\t", "\n", "\r\n", "\u00A0", "\u3000", "\u2028", "\u0085", "\u200B");
    Gen<String> specials =
        oneOf("<|endoftext|>", "[SEP]", "[CLS]", "[MASK]", "'s", "'ll", "##", "\uFFFD");
    Gen<String> loneSurrogates = oneOf("\uD83D", "\uDE00", "\uDBFF", "\uDC00");
    Gen<String> piece =
        frequency(
            new Weighted<>(6, ascii),
            new Weighted<>(3, words),
            new Weighted<>(2, bmp),
            new Weighted<>(2, astral),
            new Weighted<>(2, combining),
            new Weighted<>(1, controls),
            new Weighted<>(2, emoji),
            new Weighted<>(2, cjk),
            new Weighted<>(3, spaces),
            new Weighted<>(1, specials),
            new Weighted<>(1, loneSurrogates));
    return joined(piece, 0, 24);
  }

  /** {@code s} as it comes back from UTF-8: each lone surrogate becomes U+FFFD. */
  static String wellFormed(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      sb.appendCodePoint(Character.isSurrogate((char) cp) && cp < 0x10000 ? 0xFFFD : cp);
      i += Character.charCount(cp);
    }
    return sb.toString();
  }
}
