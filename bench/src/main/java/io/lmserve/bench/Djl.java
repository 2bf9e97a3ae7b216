package io.lmserve.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * HF tokenizers (Rust) through DJL's JNI binding. DJL's {@code encode} copies every field of the
 * encoding (ids, type ids, tokens, word ids, masks, char spans) into Java, the same work as an
 * lmserve {@code Encoding}; {@link #ids} calls the native encoder and copies the ids alone.
 */
final class Djl {

  private Djl() {}

  static HuggingFaceTokenizer load(Path tokenizerJson) throws IOException {
    return HuggingFaceTokenizer.builder()
        .optTokenizerPath(tokenizerJson)
        .optAddSpecialTokens(false)
        .optTruncation(false)
        .optPadding(false)
        .build();
  }

  static Contender full(HuggingFaceTokenizer tokenizer, Corpus corpus) {
    return InProcess.perText(
        "DJL HF tokenizers, full encodings",
        corpus,
        t -> tokenizer.encode(t, false, false).getIds().length,
        t -> ids(tokenizer, t));
  }

  static Contender ids(HuggingFaceTokenizer tokenizer, Corpus corpus) {
    return InProcess.perText(
        "DJL HF tokenizers, ids (raw JNI)",
        corpus,
        t -> rawIds(tokenizer, t).length,
        t -> ids(tokenizer, t));
  }

  /** {@code batchEncode}: the Rust library's {@code encode_batch} on its own thread pool. */
  static Contender batch(HuggingFaceTokenizer tokenizer, Corpus corpus, int batchSize) {
    return InProcess.perBatch(
        "DJL HF batchEncode (Rust threads), full encodings",
        corpus,
        batchSize,
        b ->
            Arrays.stream(tokenizer.batchEncode(b, false, false))
                .mapToInt(e -> e.getIds().length)
                .sum(),
        t -> ids(tokenizer, t));
  }

  private static int[] ids(HuggingFaceTokenizer tokenizer, String text) {
    return Arrays.stream(tokenizer.encode(text, false, false).getIds())
        .mapToInt(Math::toIntExact)
        .toArray();
  }

  private static long[] rawIds(HuggingFaceTokenizer tokenizer, String text) {
    TokenizersLibrary lib = TokenizersLibrary.LIB;
    long encoding = lib.encode(tokenizer.getHandle(), text, false);
    try {
      return lib.getTokenIds(encoding);
    } finally {
      lib.deleteEncoding(encoding);
    }
  }
}
