package io.lmserve.tokenizer.normalizer;

import java.util.List;

/** Applies normalizers in order. */
public record NormalizerSequence(List<Normalizer> normalizers) implements Normalizer {
  public NormalizerSequence {
    normalizers = List.copyOf(normalizers);
  }

  @Override
  public NormalizedString normalize(NormalizedString text) {
    for (Normalizer n : normalizers) {
      text = n.normalize(text);
    }
    return text;
  }
}
