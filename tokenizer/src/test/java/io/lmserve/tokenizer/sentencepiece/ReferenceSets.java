package io.lmserve.tokenizer.sentencepiece;

import io.lmserve.testkit.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The shared SentencePiece reference outputs and the texts they were made from. */
final class ReferenceSets {

  static final List<String> MODELS = List.of("unigram8k", "bpe8k", "bpe8k_llama");
  static final List<String> SETS = List.of("edge", "heldout");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One reference line: what a reference tokenizer gave for {@code text}. */
  record Expected(
      int line, String text, int[] ids, String[] tokens, int[][] offsets, String decoded) {}

  private ReferenceSets() {}

  /** Fails listing the first mismatches, if any; also fails on a set too small to mean much. */
  static void assertNoMismatches(List<String> mismatches, int lines) {
    if (lines < 100) {
      throw new AssertionError("a reference set has only " + lines + " lines");
    }
    if (!mismatches.isEmpty()) {
      throw new AssertionError(
          mismatches.size()
              + " of "
              + lines
              + " lines differ:\n"
              + String.join("\n", mismatches.subList(0, Math.min(8, mismatches.size()))));
    }
  }

  static Path model(String name) {
    return SharedData.path("fixtures/tokenizers/spm/" + name + ".model");
  }

  static Path hfTokenizer(String name) {
    return SharedData.path("fixtures/tokenizers/hf/spm-" + name + "/tokenizer.json");
  }

  /**
   * Texts of a set as the references read them: {@code edge.jsonl} (texts may hold newlines), and
   * the held-out text split on {@code \n} only.
   */
  static List<String> texts(String set) {
    try {
      if (set.equals("edge")) {
        List<String> texts = new ArrayList<>();
        for (String line :
            Files.readAllLines(SharedData.path("fixtures/tokenizers/corpus/edge.jsonl"))) {
          texts.add(JSON.readTree(line).get("text").asString());
        }
        return texts;
      }
      String all = Files.readString(SharedData.path("fixtures/tokenizers/corpus/spm_heldout.txt"));
      List<String> lines = new ArrayList<>(Arrays.asList(all.split("\n", -1)));
      if (!lines.isEmpty() && lines.getLast().isEmpty()) {
        lines.removeLast();
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code expected/<set>/spm-<model>.<kind>.jsonl[.gz]} paired with its texts. */
  static List<Expected> expected(String set, String model, String kind) {
    String base = "fixtures/tokenizers/expected/" + set + "/spm-" + model + "." + kind + ".jsonl";
    Path path = SharedData.path(set.equals("heldout") ? base + ".gz" : base);
    List<String> texts = texts(set);
    List<Expected> out = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(path);
        InputStream in = path.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      if (lines.length != texts.size()) {
        throw new AssertionError(
            path + " has " + lines.length + " lines for " + texts.size() + " texts");
      }
      for (int i = 0; i < lines.length; i++) {
        JsonNode node = JSON.readTree(lines[i]);
        int n = node.get("ids").size();
        int[] ids = new int[n];
        String[] tokens = new String[n];
        int[][] offsets = new int[n][];
        for (int k = 0; k < n; k++) {
          ids[k] = node.get("ids").get(k).asInt();
          tokens[k] = node.get("tokens").get(k).asString();
          JsonNode o = node.get("offsets").get(k);
          offsets[k] = new int[] {o.get(0).asInt(), o.get(1).asInt()};
        }
        JsonNode decoded = node.get("decoded");
        out.add(
            new Expected(
                i + 1,
                texts.get(i),
                ids,
                tokens,
                offsets,
                decoded == null ? null : decoded.asString()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
