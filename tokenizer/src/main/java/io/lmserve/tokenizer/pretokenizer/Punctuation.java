package io.lmserve.tokenizer.pretokenizer;

import io.lmserve.tokenizer.normalizer.CharClass;
import io.lmserve.tokenizer.normalizer.NormalizedString;
import java.util.List;

/** Splits on punctuation (ASCII or Unicode P), each punctuation character handled per behavior. */
public record Punctuation(SplitBehavior behavior) implements PreTokenizer {
  @Override
  public void preTokenize(NormalizedString piece, List<NormalizedString> out) {
    CharSplit.split(piece, CharClass::isBertPunctuation, behavior, out);
  }
}
