package io.lmserve.tokenizer.pretokenizer;

import io.lmserve.tokenizer.normalizer.NormalizedString;
import java.util.List;

/**
 * Second stage: cuts normalized text into words the model tokenizes one at a time (and may rewrite
 * them, like ByteLevel's byte alphabet). Pieces keep their alignment to the original text. Empty
 * pieces must not be emitted. Implementations are immutable and thread-safe.
 */
public interface PreTokenizer {

  /** Appends the pieces of {@code piece} to {@code out}, in order. */
  void preTokenize(NormalizedString piece, List<NormalizedString> out);
}
