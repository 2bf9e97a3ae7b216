package io.lmserve.tokenizer.sentencepiece;

/**
 * A Java string as UTF-8 bytes, with each byte's character span in the string, so that work done on
 * bytes (as SentencePiece does it) can report offsets into the original text.
 *
 * <p>A lone surrogate, which has no UTF-8 form, becomes U+FFFD (three bytes) spanning that one
 * {@code char}.
 */
public record Utf8Text(byte[] bytes, int[] charStart, int[] charEnd) {

  /**
   * Larger texts are refused: UTF-8 may need three bytes per {@code char}, and arrays are
   * int-indexed.
   */
  static final int MAX_CHARS = 256 << 20;

  public static Utf8Text of(String text) {
    if (text.length() > MAX_CHARS) {
      throw new IllegalArgumentException(
          "text of " + text.length() + " chars is longer than the " + MAX_CHARS + " allowed");
    }
    int n = utf8Length(text);
    byte[] bytes = new byte[n];
    int[] start = new int[n];
    int[] end = new int[n];
    int b = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int units = Character.charCount(cp);
      if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
        cp = 0xFFFD;
      }
      int len = encode(cp, bytes, b);
      for (int k = b; k < b + len; k++) {
        start[k] = i;
        end[k] = i + units;
      }
      b += len;
      i += units;
    }
    return new Utf8Text(bytes, start, end);
  }

  /**
   * The UTF-8 bytes of {@code text} as {@link #of} gives them (a lone surrogate as U+FFFD), without
   * the per-byte spans ({@code charStart} and {@code charEnd} are null).
   */
  static Utf8Text withoutSpans(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isSurrogate(text.charAt(i))) {
        Utf8Text full = of(text); // pairs and lone surrogates: the careful encoder
        return new Utf8Text(full.bytes(), null, null);
      }
    }
    if (text.length() > MAX_CHARS) {
      of(text); // refuses it with the usual message
    }
    // No surrogates: the JDK's encoder gives the same bytes, much faster.
    return new Utf8Text(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), null, null);
  }

  static int utf8Length(String text) {
    int n = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }
    return n;
  }

  /** Writes code point {@code cp} at {@code at} and returns its byte count. */
  static int encode(int cp, byte[] out, int at) {
    if (cp < 0x80) {
      out[at] = (byte) cp;
      return 1;
    }
    if (cp < 0x800) {
      out[at] = (byte) (0xC0 | cp >> 6);
      out[at + 1] = (byte) (0x80 | cp & 0x3F);
      return 2;
    }
    if (cp < 0x10000) {
      out[at] = (byte) (0xE0 | cp >> 12);
      out[at + 1] = (byte) (0x80 | cp >> 6 & 0x3F);
      out[at + 2] = (byte) (0x80 | cp & 0x3F);
      return 3;
    }
    out[at] = (byte) (0xF0 | cp >> 18);
    out[at + 1] = (byte) (0x80 | cp >> 12 & 0x3F);
    out[at + 2] = (byte) (0x80 | cp >> 6 & 0x3F);
    out[at + 3] = (byte) (0x80 | cp & 0x3F);
    return 4;
  }

  public int length() {
    return bytes.length;
  }

  /**
   * The length of the well-formed UTF-8 character at {@code at}, or 0 if the bytes there are not
   * one (bad lead byte, truncated, overlong, surrogate or above U+10FFFF), as SentencePiece checks.
   */
  public static int validCharLength(byte[] s, int at, int to) {
    int b0 = s[at] & 0xFF;
    if (b0 < 0x80) {
      return 1;
    }
    int len;
    int min;
    int cp;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      len = 2;
      min = 0x80;
      cp = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      len = 3;
      min = 0x800;
      cp = b0 & 0x0F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      len = 4;
      min = 0x10000;
      cp = b0 & 0x07;
    } else {
      return 0;
    }
    if (to - at < len) {
      return 0;
    }
    for (int k = 1; k < len; k++) {
      int b = s[at + k] & 0xFF;
      if ((b & 0xC0) != 0x80) {
        return 0;
      }
      cp = cp << 6 | b & 0x3F;
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return 0;
    }
    return len;
  }

  /** The length SentencePiece steps by at {@code at}: a character's length from its lead byte. */
  public static int charLengthFromLead(byte lead) {
    int b = lead & 0xFF;
    return b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  }
}
