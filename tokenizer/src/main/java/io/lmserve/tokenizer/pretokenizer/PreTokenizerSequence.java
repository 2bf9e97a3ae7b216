package io.lmserve.tokenizer.pretokenizer;

import io.lmserve.tokenizer.normalizer.NormalizedString;
import java.util.ArrayList;
import java.util.List;

/** Applies pre-tokenizers in order, each to every piece the previous one produced. */
public record PreTokenizerSequence(List<PreTokenizer> preTokenizers) implements PreTokenizer {
  public PreTokenizerSequence {
    preTokenizers = List.copyOf(preTokenizers);
  }

  @Override
  public void preTokenize(NormalizedString piece, List<NormalizedString> out) {
    List<NormalizedString> current = List.of(piece);
    for (PreTokenizer p : preTokenizers) {
      List<NormalizedString> next = new ArrayList<>();
      for (NormalizedString s : current) {
        p.preTokenize(s, next);
      }
      current = next;
    }
    out.addAll(current);
  }
}
