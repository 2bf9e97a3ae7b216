package io.lmserve.tokenizer.training;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The SentencePiece-style pipeline around trained Unigram or BPE pieces, as HF's {@code
 * tokenizer.json}: NFKC, whitespace runs to one space, strip, {@code ▁} for spaces; decoding turns
 * {@code ▁} back into spaces and byte pieces back into text.
 */
final class SentencePieceJson {

  private SentencePieceJson() {}

  static Map<String, Object> normalizer() {
    return TokenizerJson.component(
        "Sequence",
        "normalizers",
        List.of(
            TokenizerJson.component("NFKC"),
            TokenizerJson.component("Replace", "pattern", Map.of("Regex", "\\s+"), "content", " "),
            TokenizerJson.component("Strip", "strip_left", true, "strip_right", true)));
  }

  static Map<String, Object> preTokenizer() {
    return TokenizerJson.component(
        "Metaspace", "replacement", "\u2581", "prepend_scheme", "always", "split", true);
  }

  static Map<String, Object> decoder() {
    return TokenizerJson.component(
        "Sequence",
        "decoders",
        List.of(
            TokenizerJson.component(
                "Replace", "pattern", Map.of("String", "\u2581"), "content", " "),
            TokenizerJson.component("ByteFallback"),
            TokenizerJson.component("Fuse"),
            TokenizerJson.component("Strip", "content", " ", "start", 1, "stop", 0)));
  }

  static Map<String, Object> unigramDocument(LearnedUnigram learned, TrainingOptions options) {
    List<Object> vocab = new ArrayList<>(learned.pieces().size());
    for (int i = 0; i < learned.pieces().size(); i++) {
      vocab.add(List.of(learned.pieces().get(i), learned.scores()[i]));
    }
    Map<String, Object> model = TokenizerJson.component("Unigram");
    model.put("unk_id", learned.pieces().indexOf(TokenizerTrainer.unknownToken(options)));
    model.put("vocab", vocab);
    model.put("byte_fallback", options.byteFallback());
    return TokenizerJson.document(
        learned.pieces(),
        new LinkedHashSet<>(options.specialTokens()),
        normalizer(),
        preTokenizer(),
        null,
        decoder(),
        model);
  }
}
