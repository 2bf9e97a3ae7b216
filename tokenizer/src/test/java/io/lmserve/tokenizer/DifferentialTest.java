package io.lmserve.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every line of the shared reference sets, encoded by us and by HF tokenizers (Rust): ids, tokens,
 * code-point offsets, type ids and decoded text must be identical.
 */
class DifferentialTest {

  private static Tokenizer tokenizer(String name) {
    return switch (name) {
      case "gpt2 tokenizer.json" -> Reference.gpt2();
      case "gpt2 vocab.json+merges.txt" -> Reference.load("vocab/gpt2/vocab.json");
      case "bert tokenizer.json" -> Reference.bert();
      case "bert vocab.txt" -> Reference.load("vocab/bert-base-uncased/vocab.txt");
      case "spm-bpe8k_llama tokenizer.json" -> Reference.load("hf/spm-bpe8k_llama/tokenizer.json");
      default -> throw new IllegalArgumentException(name);
    };
  }

  static Stream<Arguments> sets() {
    List<Arguments> args = new ArrayList<>();
    for (String gpt2 : List.of("gpt2 tokenizer.json", "gpt2 vocab.json+merges.txt")) {
      args.add(Arguments.of(gpt2, "edge", "gpt2", false, true));
      args.add(Arguments.of(gpt2, "heldout", "gpt2", false, true));
    }
    for (String bert : List.of("bert tokenizer.json", "bert vocab.txt")) {
      args.add(Arguments.of(bert, "edge", "bert", true, false));
      args.add(Arguments.of(bert, "heldout", "bert", true, false));
      args.add(Arguments.of(bert, "edge", "bert.nospecial", false, true));
      args.add(Arguments.of(bert, "heldout", "bert.nospecial", false, true));
      args.add(Arguments.of(bert, "pairs", "bert", true, false));
    }
    // SentencePiece-style BPE written with Prepend/Replace normalizers, byte fallback and fuse_unk:
    // needs nothing SentencePiece-specific, so it checks those components too.
    args.add(
        Arguments.of("spm-bpe8k_llama tokenizer.json", "edge", "spm-bpe8k_llama.hf", false, true));
    args.add(
        Arguments.of(
            "spm-bpe8k_llama tokenizer.json", "heldout", "spm-bpe8k_llama.hf", false, true));
    return args.stream();
  }

  @ParameterizedTest(name = "{0} on {1}/{2}")
  @MethodSource("sets")
  void matchesHfTokenizers(
      String tokenizerName, String set, String expected, boolean special, boolean skipSpecial) {
    Tokenizer tokenizer = tokenizer(tokenizerName);
    EncodeOptions options = EncodeOptions.defaults().withAddSpecialTokens(special);
    List<Reference.Case> cases = Reference.cases(set, expected);
    assertEquals(
        switch (set) {
          case "edge" -> 140;
          case "heldout" -> 1968;
          default -> 1000;
        },
        cases.size(),
        "reference lines");
    List<String> mismatches = new ArrayList<>();
    for (Reference.Case c : cases) {
      Encoding e = tokenizer.encodePair(c.text(), c.pair(), options);
      JsonNode x = c.expected();
      List<String> diffs = new ArrayList<>();
      if (!Arrays.equals(e.ids(), Reference.ints(x.get("ids")))) {
        diffs.add("ids " + Arrays.toString(e.ids()) + " vs " + x.get("ids"));
      }
      if (!Arrays.equals(e.tokens(), Reference.strings(x.get("tokens")))) {
        diffs.add("tokens " + Arrays.toString(e.tokens()) + " vs " + x.get("tokens"));
      }
      int[][] offsets = Reference.referenceOffsets(e, c.text(), c.pair());
      if (!Arrays.deepEquals(offsets, Reference.offsets(x.get("offsets")))) {
        diffs.add("offsets " + Arrays.deepToString(offsets) + " vs " + x.get("offsets"));
      }
      if (x.has("type_ids") && !Arrays.equals(e.typeIds(), Reference.ints(x.get("type_ids")))) {
        diffs.add("type_ids " + Arrays.toString(e.typeIds()) + " vs " + x.get("type_ids"));
      }
      if (x.has("decoded")) {
        String decoded = tokenizer.decode(e.ids(), skipSpecial);
        if (!decoded.equals(x.get("decoded").asString())) {
          diffs.add("decoded '" + decoded + "' vs '" + x.get("decoded").asString() + "'");
        }
      }
      if (!diffs.isEmpty()) {
        mismatches.add("line " + c.line() + " " + quote(c.text()) + ": " + diffs);
      }
    }
    if (!mismatches.isEmpty()) {
      System.out.println(
          tokenizerName + " " + set + "/" + expected + ": " + mismatches.size() + " mismatches");
      mismatches.stream().limit(8).forEach(m -> System.out.println("  " + abbreviate(m)));
    }
    assertEquals(0, mismatches.size(), "mismatching lines out of " + cases.size());
  }

  private static String quote(String s) {
    return "'" + (s.length() > 60 ? s.substring(0, 60) + "…" : s) + "'";
  }

  private static String abbreviate(String s) {
    return s.length() > 1200 ? s.substring(0, 1200) + "…" : s;
  }
}
