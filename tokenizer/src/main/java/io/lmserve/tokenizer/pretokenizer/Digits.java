package io.lmserve.tokenizer.pretokenizer;

import io.lmserve.tokenizer.normalizer.CharClass;
import io.lmserve.tokenizer.normalizer.NormalizedString;
import java.util.List;

/** Splits numbers off the text: one piece per digit, or one per run of digits. */
public record Digits(boolean individualDigits) implements PreTokenizer {
  @Override
  public void preTokenize(NormalizedString piece, List<NormalizedString> out) {
    CharSplit.split(
        piece,
        CharClass::isNumber,
        individualDigits ? SplitBehavior.ISOLATED : SplitBehavior.CONTIGUOUS,
        out);
  }
}
