package io.lmserve.tokenizer.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained Unigram model as HF's {@code tokenizer.json}, with the pipeline of {@link
 * TrainingPipeline} for the SentencePiece types written out in HF's JSON form.
 */
final class SentencePieceJson {

  private SentencePieceJson() {}

  static Map<String, Object> unigramDocument(
      LearnedUnigram learned, TrainingOptions options, Map<String, String> roles) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("version", "1.0");
    doc.put("truncation", null);
    doc.put("padding", null);
    List<Object> added = new ArrayList<>();
    for (int id = 0; id < learned.pieces().size(); id++) {
      if (options.specialTokens().contains(learned.pieces().get(id))) {
        Map<String, Object> token = new LinkedHashMap<>();
        token.put("id", id);
        token.put("content", learned.pieces().get(id));
        token.put("single_word", false);
        token.put("lstrip", false);
        token.put("rstrip", false);
        token.put("normalized", false);
        token.put("special", true);
        added.add(token);
      }
    }
    doc.put("added_tokens", added);
    doc.put(
        "normalizer",
        TokenizerJson.component(
            "Sequence",
            "normalizers",
            List.of(
                TokenizerJson.component("NFKC"),
                TokenizerJson.component(
                    "Replace", "pattern", Map.of("Regex", "\\s+"), "content", " "),
                TokenizerJson.component("Strip", "strip_left", true, "strip_right", true))));
    String meta = String.valueOf(TrainingPipeline.META);
    doc.put(
        "pre_tokenizer",
        TokenizerJson.component(
            "Metaspace", "replacement", meta, "prepend_scheme", "always", "split", true));
    doc.put("post_processor", null);
    doc.put(
        "decoder",
        TokenizerJson.component(
            "Sequence",
            "decoders",
            List.of(
                TokenizerJson.component(
                    "Replace", "pattern", Map.of("String", meta), "content", " "),
                TokenizerJson.component("ByteFallback"),
                TokenizerJson.component("Fuse"),
                TokenizerJson.component("Strip", "content", " ", "start", 1, "stop", 0))));
    List<Object> vocab = new ArrayList<>(learned.pieces().size());
    for (int i = 0; i < learned.pieces().size(); i++) {
      vocab.add(List.of(learned.pieces().get(i), learned.scores()[i]));
    }
    Map<String, Object> model = TokenizerJson.component("Unigram");
    model.put("unk_id", learned.pieces().indexOf(roles.get("unk_token")));
    model.put("vocab", vocab);
    model.put("byte_fallback", options.byteFallback());
    doc.put("model", model);
    return doc;
  }
}
