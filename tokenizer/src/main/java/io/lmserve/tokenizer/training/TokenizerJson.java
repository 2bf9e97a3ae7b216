package io.lmserve.tokenizer.training;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes trained models in HF tokenizers' file layouts: {@code tokenizer.json} with the pipeline a
 * trainer type implies, GPT-2's {@code vocab.json} + {@code merges.txt}, BERT's {@code vocab.txt},
 * SentencePiece's {@code .vocab}. Maps keep insertion order, so the same model gives the same
 * bytes.
 */
final class TokenizerJson {

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private TokenizerJson() {}

  static byte[] write(Object tree) {
    return (JSON.writeValueAsString(tree) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** The document shared by every type; components are filled in by the callers. */
  static Map<String, Object> document(
      List<String> vocabulary,
      Set<String> specialTokens,
      Object normalizer,
      Object preTokenizer,
      Object postProcessor,
      Object decoder,
      Object model) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("version", "1.0");
    doc.put("truncation", null);
    doc.put("padding", null);
    List<Object> added = new ArrayList<>();
    for (int id = 0; id < vocabulary.size(); id++) {
      if (specialTokens.contains(vocabulary.get(id))) {
        Map<String, Object> token = new LinkedHashMap<>();
        token.put("id", id);
        token.put("content", vocabulary.get(id));
        token.put("single_word", false);
        token.put("lstrip", false);
        token.put("rstrip", false);
        token.put("normalized", false);
        token.put("special", true);
        added.add(token);
      }
    }
    doc.put("added_tokens", added);
    doc.put("normalizer", normalizer);
    doc.put("pre_tokenizer", preTokenizer);
    doc.put("post_processor", postProcessor);
    doc.put("decoder", decoder);
    doc.put("model", model);
    return doc;
  }

  static Map<String, Object> component(String type, Object... keyValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("type", type);
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put((String) keyValues[i], keyValues[i + 1]);
    }
    return map;
  }

  static Map<String, Integer> vocabMap(List<String> vocabulary) {
    Map<String, Integer> map = new LinkedHashMap<>();
    for (int id = 0; id < vocabulary.size(); id++) {
      map.putIfAbsent(vocabulary.get(id), id);
    }
    return map;
  }

  static Map<String, Object> bpeModel(
      LearnedBpe bpe, String unkToken, String prefix, String suffix, boolean byteFallback) {
    List<String> merges = new ArrayList<>(bpe.merges().size());
    for (LearnedBpe.Merge merge : bpe.merges()) {
      merges.add(merge.left() + " " + merge.right());
    }
    Map<String, Object> model = component("BPE");
    model.put("dropout", null);
    model.put("unk_token", unkToken);
    model.put("continuing_subword_prefix", prefix);
    model.put("end_of_word_suffix", suffix);
    model.put("fuse_unk", false);
    model.put("byte_fallback", byteFallback);
    model.put("ignore_merges", false);
    model.put("vocab", vocabMap(bpe.vocabulary()));
    model.put("merges", merges);
    return model;
  }

  /** GPT-2's merges.txt: a version line, then one merge per line. */
  static byte[] mergesTxt(LearnedBpe bpe) {
    StringBuilder out = new StringBuilder("#version: 0.2\n");
    for (LearnedBpe.Merge merge : bpe.merges()) {
      out.append(merge.left()).append(' ').append(merge.right()).append('\n');
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** One token per line, line number = id (BERT's vocab.txt). */
  static byte[] lines(List<String> vocabulary) {
    StringBuilder out = new StringBuilder();
    for (String token : vocabulary) {
      out.append(token).append('\n');
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
