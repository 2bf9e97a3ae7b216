package io.lmserve.tokenizer.pretokenizer;

import io.lmserve.tokenizer.normalizer.CharClass;
import io.lmserve.tokenizer.normalizer.NormalizedString;
import java.util.ArrayList;
import java.util.List;

/** BERT's word splitting: on whitespace (dropped), then every punctuation character alone. */
public record BertPreTokenizer() implements PreTokenizer {
  @Override
  public void preTokenize(NormalizedString piece, List<NormalizedString> out) {
    List<NormalizedString> words = new ArrayList<>();
    CharSplit.split(piece, CharClass::isWhitespace, SplitBehavior.REMOVED, words);
    for (NormalizedString word : words) {
      CharSplit.split(word, CharClass::isBertPunctuation, SplitBehavior.ISOLATED, out);
    }
  }
}
