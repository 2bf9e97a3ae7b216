package io.lmserve.tokenizer.training;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPT-2 words: the GPT-2 pre-tokenization regex, then every UTF-8 byte of a piece mapped to its
 * printable stand-in character (GPT-2's byte-to-unicode table), so any text is spelled with 256
 * symbols and nothing is ever unknown.
 */
public final class ByteLevelWords implements WordSplitter {

  private static final Pattern GPT2 =
      Pattern.compile(
          "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
          Pattern.UNICODE_CHARACTER_CLASS);

  private static final char[] BYTE_TO_CHAR = byteToChar();

  private final boolean addPrefixSpace;

  /**
   * {@code addPrefixSpace}: a space is put before each line, so its first word looks like others.
   */
  public ByteLevelWords(boolean addPrefixSpace) {
    this.addPrefixSpace = addPrefixSpace;
  }

  @Override
  public void split(String line, Consumer<String> words) {
    String text = addPrefixSpace && !line.startsWith(" ") ? " " + line : line;
    Matcher matcher = GPT2.matcher(text);
    while (matcher.find()) {
      words.accept(toByteChars(text.substring(matcher.start(), matcher.end())));
    }
  }

  /** The 256 stand-in characters, indexed by byte value. */
  public static String alphabet() {
    return new String(BYTE_TO_CHAR);
  }

  static String toByteChars(String piece) {
    byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
    char[] chars = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      chars[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
    }
    return new String(chars);
  }

  /** Printable bytes stand for themselves; the others are moved to U+0100 and up, in byte order. */
  private static char[] byteToChar() {
    char[] table = new char[256];
    int next = 256;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
      table[b] = (char) (printable ? b : next++);
    }
    return table;
  }
}
