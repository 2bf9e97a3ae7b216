package io.lmserve.tokenizer.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The BERT pipeline around a trained WordPiece vocabulary, as HF's {@code tokenizer.json}. */
final class WordPieceJson {

  private WordPieceJson() {}

  static Map<String, Object> document(
      List<String> vocabulary, Set<String> specials, TrainingOptions options) {
    Map<String, Object> model = TokenizerJson.component("WordPiece");
    model.put("unk_token", TokenizerTrainer.unknownToken(options));
    model.put("continuing_subword_prefix", "##");
    model.put("max_input_chars_per_word", 100);
    model.put("vocab", TokenizerJson.vocabMap(vocabulary));
    return TokenizerJson.document(
        vocabulary,
        specials,
        TokenizerJson.component(
            "BertNormalizer",
            "clean_text",
            true,
            "handle_chinese_chars",
            true,
            "strip_accents",
            null,
            "lowercase",
            options.lowercase()),
        TokenizerJson.component("BertPreTokenizer"),
        postProcessor(vocabulary),
        TokenizerJson.component("WordPiece", "prefix", "##", "cleanup", true),
        model);
  }

  /** {@code [CLS] A [SEP]} and {@code [CLS] A [SEP] B [SEP]}, when both tokens are special. */
  private static Map<String, Object> postProcessor(List<String> vocabulary) {
    int cls = vocabulary.indexOf("[CLS]");
    int sep = vocabulary.indexOf("[SEP]");
    if (cls < 0 || sep < 0) {
      return null;
    }
    List<Object> single = List.of(special("[CLS]", 0), sequence("A", 0), special("[SEP]", 0));
    List<Object> pair = new ArrayList<>(single);
    pair.add(sequence("B", 1));
    pair.add(special("[SEP]", 1));
    Map<String, Object> tokens = new LinkedHashMap<>();
    tokens.put("[CLS]", Map.of("id", "[CLS]", "ids", List.of(cls), "tokens", List.of("[CLS]")));
    tokens.put("[SEP]", Map.of("id", "[SEP]", "ids", List.of(sep), "tokens", List.of("[SEP]")));
    return TokenizerJson.component(
        "TemplateProcessing", "single", single, "pair", pair, "special_tokens", tokens);
  }

  private static Map<String, Object> special(String token, int typeId) {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("id", token);
    inner.put("type_id", typeId);
    return Map.of("SpecialToken", inner);
  }

  private static Map<String, Object> sequence(String id, int typeId) {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("id", id);
    inner.put("type_id", typeId);
    return Map.of("Sequence", inner);
  }
}
