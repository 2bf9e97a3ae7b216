package io.lmserve.bench;

import io.lmserve.tokenizer.EncodeOptions;
import io.lmserve.tokenizer.Encoding;
import io.lmserve.tokenizer.Tokenizer;

/**
 * lmserve's tokenizer as a contender. No special tokens are added, as for every other contender;
 * text spelling a special token is matched as that token, as HF does. The library has no ids-only
 * entry point, so its ids-only figure is its full-encoding one.
 */
final class Lmserve {

  private Lmserve() {}

  /** Full encodings (ids, tokens, offsets, masks), one text per call. */
  static Contender full(Tokenizer tokenizer, Corpus corpus) {
    EncodeOptions options = options(tokenizer);
    return InProcess.perText(
        "lmserve, full encodings",
        corpus,
        t -> tokenizer.encode(t, options).ids().length,
        t -> tokenizer.encode(t, options).ids());
  }

  /** {@code encodeIds}: the same ids as full encodings, without tokens, offsets or masks. */
  static Contender ids(Tokenizer tokenizer, Corpus corpus) {
    EncodeOptions options = options(tokenizer);
    return InProcess.perText(
        "lmserve encodeIds, ids only",
        corpus,
        t -> tokenizer.encodeIds(t, options).length,
        t -> tokenizer.encodeIds(t, options));
  }

  /** {@code encodeBatch}: full encodings of a batch, in parallel on every core. */
  static Contender batch(Tokenizer tokenizer, Corpus corpus, int batchSize) {
    EncodeOptions options = options(tokenizer);
    return InProcess.perBatch(
        "lmserve encodeBatch, full encodings",
        corpus,
        batchSize,
        b -> tokenizer.encodeBatch(b, options).stream().mapToInt(Encoding::length).sum(),
        t -> tokenizer.encode(t, options).ids());
  }

  private static EncodeOptions options(Tokenizer tokenizer) {
    return tokenizer.defaultOptions().withAddSpecialTokens(false);
  }
}
