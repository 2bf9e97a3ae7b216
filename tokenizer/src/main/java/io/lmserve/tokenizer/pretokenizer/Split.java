package io.lmserve.tokenizer.pretokenizer;

import io.lmserve.tokenizer.normalizer.IntPairs;
import io.lmserve.tokenizer.normalizer.NormalizedString;
import io.lmserve.tokenizer.normalizer.TextPattern;
import java.util.List;

/** Splits on a string or regex; {@code invert} makes the matches the content. */
public record Split(TextPattern pattern, SplitBehavior behavior, boolean invert)
    implements PreTokenizer {
  @Override
  public void preTokenize(NormalizedString piece, List<NormalizedString> out) {
    IntPairs matches = new IntPairs();
    pattern.findMatches(piece.normalized(), matches);
    behavior.split(piece, matches, invert, out);
  }
}
