package io.lmserve.tokenizer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/** Random text from every corner of Unicode, and the odd strings only Java can hold. */
final class UnicodeTexts {

  private UnicodeTexts() {}

  static Arbitrary<String> any() {
    Arbitrary<String> ascii =
        Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(6);
    Arbitrary<String> words =
        Arbitraries.of("hello", " world", "Ünïcödé", "İstanbul", "ΣΟΦΙΑ", "naïve", "ﬁne");
    Arbitrary<String> bmp =
        Arbitraries.integers().between(0, 0xFFFF).map(cp -> String.valueOf((char) cp.intValue()));
    Arbitrary<String> astral =
        Arbitraries.integers().between(0x10000, 0x10FFFF).map(Character::toString);
    Arbitrary<String> combining =
        Arbitraries.integers().between(0x300, 0x36F).map(Character::toString);
    Arbitrary<String> controls =
        Arbitraries.integers()
            .between(0, 0x9F)
            .filter(c -> c < 0x20 || c >= 0x7F)
            .map(Character::toString);
    Arbitrary<String> emoji =
        Arbitraries.of(
            "👨‍👩‍👧‍👦", "🏳️‍🌈", "👍🏽", "❤️", "🇫🇷", "😀", "🤖", "\u200D", "\uFE0F");
    Arbitrary<String> cjk = Arbitraries.integers().between(0x4E00, 0x9FFF).map(Character::toString);
    Arbitrary<String> spaces =
        Arbitraries.of(
            " ", "  ", "\t", "\n", "\r\n", "\u00A0", "\u3000", "\u2028", "\u0085", "\u200B");
    Arbitrary<String> specials =
        Arbitraries.of("<|endoftext|>", "[SEP]", "[CLS]", "[MASK]", "'s", "'ll", "##", "\uFFFD");
    Arbitrary<String> loneSurrogates = Arbitraries.of("\uD83D", "\uDE00", "\uDBFF", "\uDC00");
    @SuppressWarnings("unchecked")
    Arbitrary<String> piece =
        Arbitraries.frequencyOf(
            Tuple.of(6, ascii),
            Tuple.of(3, words),
            Tuple.of(2, bmp),
            Tuple.of(2, astral),
            Tuple.of(2, combining),
            Tuple.of(1, controls),
            Tuple.of(2, emoji),
            Tuple.of(2, cjk),
            Tuple.of(3, spaces),
            Tuple.of(1, specials),
            Tuple.of(1, loneSurrogates));
    return piece.list().ofMaxSize(24).map(list -> String.join("", list));
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
