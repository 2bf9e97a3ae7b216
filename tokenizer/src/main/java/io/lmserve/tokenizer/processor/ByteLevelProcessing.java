package io.lmserve.tokenizer.processor;

import io.lmserve.tokenizer.Encoding;
import io.lmserve.tokenizer.normalizer.CharClass;
import java.util.ArrayList;
import java.util.List;

/**
 * GPT-2's post-processor: adds nothing; with {@code trimOffsets} the offsets of tokens that begin
 * or end with spaces ('Ġ') exclude those spaces.
 */
public record ByteLevelProcessing(boolean addPrefixSpace, boolean trimOffsets, boolean useRegex)
    implements PostProcessor {

  @Override
  public int addedTokens(boolean pair) {
    return 0;
  }

  @Override
  public List<Encoding> process(List<Encoding> encodings, boolean addSpecialTokens) {
    if (!trimOffsets) {
      return encodings;
    }
    List<Encoding> out = new ArrayList<>(encodings.size());
    for (Encoding e : encodings) {
      out.add(trim(e, addPrefixSpace));
    }
    return out;
  }

  static Encoding trim(Encoding e, boolean addPrefixSpace) {
    int[][] offsets = new int[e.length()][];
    for (int i = 0; i < e.length(); i++) {
      String token = e.tokens()[i];
      int start = e.offsets()[i][0];
      int end = e.offsets()[i][1];
      int leading = 0;
      while (leading < token.length() && isSpace(token.charAt(leading))) {
        leading++;
      }
      int trailing = 0;
      while (trailing < token.length() - leading
          && isSpace(token.charAt(token.length() - 1 - trailing))) {
        trailing++;
      }
      if (leading > 0) {
        boolean first = i == 0 || start == 0;
        if (first && addPrefixSpace && leading == 1) {
          leading = 0; // the space we added ourselves is not in the text
        }
        start = Math.min(start + leading, end);
      }
      if (trailing > 0 && end >= trailing) {
        end = Math.max(end - trailing, start);
      }
      offsets[i] = new int[] {start, end};
    }
    return e.withOffsets(offsets);
  }

  private static boolean isSpace(char c) {
    return c == '\u0120' || CharClass.isWhitespace(c);
  }
}
