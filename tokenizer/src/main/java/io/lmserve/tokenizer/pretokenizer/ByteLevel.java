package io.lmserve.tokenizer.pretokenizer;

import io.lmserve.tokenizer.normalizer.IntPairs;
import io.lmserve.tokenizer.normalizer.NormalizedString;
import io.lmserve.tokenizer.normalizer.Prepend;
import java.util.ArrayList;
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
    List<NormalizedString> words;
    if (useRegex) {
      IntPairs matches = new IntPairs();
      Gpt2Pattern.findMatches(piece.normalized(), matches);
      words = new ArrayList<>(matches.size());
      SplitBehavior.ISOLATED.split(piece, matches, false, words);
    } else {
      words = piece.isEmpty() ? List.of() : List.of(piece);
    }
    char[] bytes = new char[4];
    for (NormalizedString word : words) {
      out.add(
          word.mapCodePoints(
              (cp, b) -> {
                int n = ByteAlphabet.encode(cp, bytes);
                for (int k = 0; k < n; k++) {
                  b.append(bytes[k]);
                }
              }));
    }
  }
}
