package io.lmserve.tokenizer.pretokenizer;

import io.lmserve.tokenizer.normalizer.IntPairs;
import io.lmserve.tokenizer.normalizer.NormalizedString;
import io.lmserve.tokenizer.normalizer.Prepend;
import java.util.List;

/**
 * GPT-2's pre-tokenizer: optionally a leading space, the GPT-2 pattern's pieces, and every piece
 * rewritten as its UTF-8 bytes in the {@link ByteAlphabet}, each byte aligned to its character.
 * {@code trimOffsets} only matters to the post-processor of the same name.
 */
public record ByteLevel(boolean addPrefixSpace, boolean trimOffsets, boolean useRegex)
    implements PreTokenizer {

  private static final Prepend SPACE = new Prepend(" ");

  @Override
  public void preTokenize(NormalizedString piece, List<NormalizedString> out) {
    if (addPrefixSpace && !piece.normalized().startsWith(" ")) {
      piece = SPACE.normalize(piece);
    }
    String text = piece.normalized();
    if (!useRegex) {
      if (!piece.isEmpty()) {
        out.add(toBytes(piece, 0, text.length()));
      }
      return;
    }
    IntPairs matches = new IntPairs();
    Gpt2Pattern.findMatches(text, matches);
    for (int m = 0; m < matches.size(); m++) {
      out.add(toBytes(piece, matches.first(m), matches.second(m)));
    }
  }

  /**
   * {@code piece[from, to)} as byte-alphabet characters, each aligned to the original range of the
   * character it encodes (built in one pass: this is the hot path of GPT-2 encoding).
   */
  public static NormalizedString toBytes(NormalizedString piece, int from, int to) {
    String text = piece.normalized();
    int bytes = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < to
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3; // BMP character or lone surrogate (written as U+FFFD)
      }
    }
    char[] chars = new char[bytes];
    int[] starts = new int[bytes];
    int[] ends = new int[bytes];
    char[] encoded = new char[4];
    int k = 0;
    for (int i = from; i < to; ) {
      char c = text.charAt(i);
      int start = piece.alignStart(i);
      int end = piece.alignEnd(i);
      int n;
      if (c < 0x80) {
        encoded[0] = ByteAlphabet.charOf(c);
        n = 1;
        i++;
      } else {
        int cp =
            Character.isHighSurrogate(c)
                    && i + 1 < to
                    && Character.isLowSurrogate(text.charAt(i + 1))
                ? text.codePointAt(i)
                : c;
        n = ByteAlphabet.encode(cp, encoded);
        i += Character.charCount(cp);
      }
      for (int j = 0; j < n; j++) {
        chars[k] = encoded[j];
        starts[k] = start;
        ends[k] = end;
        k++;
      }
    }
    return NormalizedString.aligned(piece.original(), new String(chars), starts, ends);
  }
}
