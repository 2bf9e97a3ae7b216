package io.lmserve.tokenizer.pretokenizer;

import io.lmserve.tokenizer.normalizer.IntPairs;
import io.lmserve.tokenizer.normalizer.NormalizedString;
import java.util.List;
import java.util.function.IntPredicate;

/** Splitting on every code point that satisfies a predicate, each one a delimiter of its own. */
final class CharSplit {

  private CharSplit() {}

  static void split(
      NormalizedString piece,
      IntPredicate isDelimiter,
      SplitBehavior behavior,
      List<NormalizedString> out) {
    String s = piece.normalized();
    IntPairs matches = new IntPairs();
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int next = i + Character.charCount(cp);
      if (isDelimiter.test(cp)) {
        matches.add(i, next);
      }
      i = next;
    }
    if (matches.size() == 0) {
      if (!piece.isEmpty()) {
        out.add(piece);
      }
      return;
    }
    behavior.split(piece, matches, false, out);
  }
}
