package io.lmserve.tokenizer.processor;

import io.lmserve.tokenizer.Encoding;
import java.util.List;

/**
 * Last encoding stage: adds the model's special tokens around the encoded sequence(s) and sets type
 * ids. Gets one encoding, or two for a pair, already truncated; returns the parts to concatenate,
 * in order. Implementations are immutable and thread-safe.
 */
public interface PostProcessor {

  /** How many tokens {@link #process} adds for a single text or a pair. */
  int addedTokens(boolean pair);

  List<Encoding> process(List<Encoding> encodings, boolean addSpecialTokens);
}
