package io.lmserve.tokenizer.pretokenizer;

/**
 * GPT-2's reversible map from the 256 byte values to printable characters: printable Latin-1 bytes
 * stand for themselves, the others are shifted to U+0100 and up (so a space is 'Ġ').
 */
public final class ByteAlphabet {

  private static final char[] BYTE_TO_CHAR = new char[256];
  private static final short[] CHAR_TO_BYTE = new short[0x200];

  static {
    java.util.Arrays.fill(CHAR_TO_BYTE, (short) -1);
    int shifted = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
      char c = printable ? (char) b : (char) (256 + shifted++);
      BYTE_TO_CHAR[b] = c;
      CHAR_TO_BYTE[c] = (short) b;
    }
  }

  private ByteAlphabet() {}

  /** The character standing for byte {@code b} (0..255). */
  public static char charOf(int b) {
    return BYTE_TO_CHAR[b & 0xFF];
  }

  /** The byte {@code c} stands for, or -1 if {@code c} is not in the alphabet. */
  public static int byteOf(char c) {
    return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
  }

  /**
   * Writes the UTF-8 bytes of {@code cp} as alphabet characters into {@code out}; returns how many.
   * A lone surrogate is written as U+FFFD, which is what it decodes back to.
   */
  public static int encode(int cp, char[] out) {
    return encode(cp, out, 0);
  }

  /** {@link #encode(int, char[])} writing from {@code out[at]} on. */
  public static int encode(int cp, char[] out, int at) {
    if (cp < 0x80) {
      out[at] = BYTE_TO_CHAR[cp];
      return 1;
    }
    if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
      cp = 0xFFFD;
    }
    if (cp < 0x800) {
      out[at] = BYTE_TO_CHAR[0xC0 | (cp >> 6)];
      out[at + 1] = BYTE_TO_CHAR[0x80 | (cp & 0x3F)];
      return 2;
    }
    if (cp < 0x10000) {
      out[at] = BYTE_TO_CHAR[0xE0 | (cp >> 12)];
      out[at + 1] = BYTE_TO_CHAR[0x80 | ((cp >> 6) & 0x3F)];
      out[at + 2] = BYTE_TO_CHAR[0x80 | (cp & 0x3F)];
      return 3;
    }
    out[at] = BYTE_TO_CHAR[0xF0 | (cp >> 18)];
    out[at + 1] = BYTE_TO_CHAR[0x80 | ((cp >> 12) & 0x3F)];
    out[at + 2] = BYTE_TO_CHAR[0x80 | ((cp >> 6) & 0x3F)];
    out[at + 3] = BYTE_TO_CHAR[0x80 | (cp & 0x3F)];
    return 4;
  }
}
