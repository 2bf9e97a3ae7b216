package io.lmserve.tokenizer.pretokenizer;

import io.lmserve.tokenizer.normalizer.IntPairs;
import io.lmserve.tokenizer.normalizer.NormalizedString;
import io.lmserve.tokenizer.normalizer.TextPattern;
import java.util.List;

/** Keeps runs of word characters and runs of other non-space characters: {@code \w+|[^\w\s]+}. */
public record Whitespace() implements PreTokenizer {
  private static final TextPattern WORDS = TextPattern.regex("\\w+|[^\\w\\s]+");

  @Override
  public void preTokenize(NormalizedString piece, List<NormalizedString> out) {
    IntPairs matches = new IntPairs();
    WORDS.findMatches(piece.normalized(), matches);
    SplitBehavior.REMOVED.split(piece, matches, true, out);
  }
}
