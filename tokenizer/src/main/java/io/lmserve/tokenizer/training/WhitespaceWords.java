package io.lmserve.tokenizer.training;

import java.util.function.Consumer;

/**
 * Classic BPE words: runs of non-whitespace characters (HF's {@code WhitespaceSplit}, whitespace
 * being Unicode's White_Space property). The end-of-word marker ({@code </w>}) is the trainer's
 * business, not this splitter's.
 */
public final class WhitespaceWords implements WordSplitter {

  @Override
  public void split(String line, Consumer<String> words) {
    int start = -1;
    for (int i = 0; i < line.length(); ) {
      int cp = line.codePointAt(i);
      if (isWhiteSpace(cp)) {
        if (start >= 0) {
          words.accept(line.substring(start, i));
          start = -1;
        }
      } else if (start < 0) {
        start = i;
      }
      i += Character.charCount(cp);
    }
    if (start >= 0) {
      words.accept(line.substring(start));
    }
  }

  /** Unicode's White_Space property (what Rust's {@code char::is_whitespace} tests). */
  static boolean isWhiteSpace(int cp) {
    return switch (cp) {
      case 0x09,
          0x0A,
          0x0B,
          0x0C,
          0x0D,
          0x20,
          0x85,
          0xA0,
          0x1680,
          0x2028,
          0x2029,
          0x202F,
          0x205F,
          0x3000 ->
          true;
      default -> cp >= 0x2000 && cp <= 0x200A;
    };
  }
}
