package io.lmserve.tokenizer.sentencepiece;

import java.util.Random;

/**
 * Random text that stresses SentencePiece: every script the models saw and many they did not,
 * combining marks and decomposed sequences, compatibility forms, all kinds of whitespace, control
 * characters, emoji with joiners, astral code points and special-looking strings. No {@code \n}
 * (texts are lines) and no lone surrogates (they have no UTF-8 to hand to another process).
 */
final class RandomText {

  private static final int[][] RANGES = {
    {0x20, 0x7E}, // ASCII
    {0x30, 0x39}, // digits
    {0x00A0, 0x024F}, // Latin-1, Latin extended
    {0x0300, 0x036F}, // combining marks
    {0x0370, 0x03FF}, // Greek
    {0x0400, 0x04FF}, // Cyrillic
    {0x0590, 0x06FF}, // Hebrew, Arabic
    {0x0900, 0x097F}, // Devanagari (vowel signs, virama)
    {0x0E00, 0x0E7F}, // Thai
    {0x1100, 0x11FF}, // Hangul jamo
    {0xAC00, 0xD7A3}, // Hangul syllables
    {0x3040, 0x30FF}, // kana
    {0x4E00, 0x9FFF}, // CJK
    {0xFF01, 0xFFEF}, // full- and half-width forms
    {0xFB00, 0xFB4F}, // ligatures, presentation forms
    {0x2000, 0x206F}, // spaces, zero-width characters, punctuation
    {0x2460, 0x24FF}, // enclosed alphanumerics
    {0x2070, 0x209F}, // super- and subscripts
    {0x3000, 0x303F}, // CJK punctuation, ideographic space
    {0x1F300, 0x1FAFF}, // emoji
    {0x20000, 0x2A6DF}, // CJK extension B
    {0x1D400, 0x1D7FF}, // mathematical alphanumerics (NFKC folds them)
    {0x1D800, 0x1DAAF}, // SignWriting (low halves look like surrogates)
    {0xE000, 0xE0FF}, // private use
    {0x1, 0x1F}, // controls
    {0x7F, 0x9F}, // DEL, C1 controls
    {0xFFF0, 0xFFFD}, // specials
    {0xE0000, 0xE007F}, // tags
  };

  private static final String[] SNIPPETS = {
    " ",
    "  ",
    "\t",
    "\u3000",
    "\u00A0",
    "\u200D",
    "\uFE0F",
    "\u200B",
    "\uFEFF",
    "<s>",
    "</s>",
    "<unk>",
    "<pad>",
    "<0x41>",
    "▁",
    "▁▁",
    "e\u0301",
    "\u1100\u1161\u11A8",
    "क\u094D\u0937",
    "👨\u200D👩\u200D👧",
    "ﬁ",
    "①",
    "Ⅻ",
    "123",
    "3.14",
    "'s",
    "don't",
    "\r",
    "\u0000",
  };

  private final Random random;

  RandomText(long seed) {
    random = new Random(seed);
  }

  String next(int maxParts) {
    StringBuilder sb = new StringBuilder();
    int parts = random.nextInt(maxParts + 1);
    for (int i = 0; i < parts; i++) {
      int kind = random.nextInt(10);
      if (kind < 2) {
        sb.append(SNIPPETS[random.nextInt(SNIPPETS.length)]);
      } else {
        int[] range = RANGES[random.nextInt(RANGES.length)];
        int run = 1 + random.nextInt(kind < 6 ? 6 : 2);
        for (int k = 0; k < run; k++) {
          int cp = range[0] + random.nextInt(range[1] - range[0] + 1);
          if (cp != '\n' && (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)) {
            sb.appendCodePoint(cp);
          }
        }
      }
    }
    return sb.toString();
  }
}
