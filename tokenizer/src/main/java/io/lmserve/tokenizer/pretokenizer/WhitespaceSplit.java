package io.lmserve.tokenizer.pretokenizer;

import io.lmserve.tokenizer.normalizer.CharClass;
import io.lmserve.tokenizer.normalizer.NormalizedString;
import java.util.List;

/** Splits on Unicode whitespace, which is dropped. */
public record WhitespaceSplit() implements PreTokenizer {
  @Override
  public void preTokenize(NormalizedString piece, List<NormalizedString> out) {
    CharSplit.split(piece, CharClass::isWhitespace, SplitBehavior.REMOVED, out);
  }
}
