package io.lmserve.tokenizer;

import io.lmserve.testkit.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** The shared reference inputs and HF tokenizers' outputs for them. */
final class Reference {

  static final ObjectMapper JSON = JsonMapper.builder().build();

  private Reference() {}

  /** A text (and optional pair) with the reference's output for it. */
  record Case(int line, String text, String pair, JsonNode expected) {}

  static Path fixture(String relative) {
    return SharedData.path("fixtures/tokenizers/" + relative);
  }

  private static final java.util.Map<String, Tokenizer> LOADED =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** A reference tokenizer, loaded once per test JVM (tokenizers are immutable). */
  static Tokenizer load(String relative) {
    return LOADED.computeIfAbsent(relative, r -> Tokenizer.load(fixture(r)));
  }

  static Tokenizer gpt2() {
    return load("hf/gpt2/tokenizer.json");
  }

  static Tokenizer bert() {
    return load("hf/bert-base-uncased/tokenizer.json");
  }

  /** The texts of a set: "edge" (edge.jsonl), "heldout" (spm_heldout.txt), "pairs". */
  static List<Case> cases(String set, String expectedName) {
    List<String[]> inputs =
        switch (set) {
          case "edge" -> jsonlTexts(fixture("corpus/edge.jsonl"));
          case "heldout" -> lines(fixture("corpus/spm_heldout.txt"));
          case "pairs" -> jsonlTexts(fixture("corpus/pairs.jsonl"));
          default -> throw new IllegalArgumentException(set);
        };
    Path dir = fixture("expected/" + set);
    Path expected = dir.resolve(expectedName + ".jsonl");
    if (!Files.exists(expected)) {
      expected = fixture("expected/" + set + "/" + expectedName + ".jsonl.gz");
    }
    List<String> out = lines(expected).stream().map(a -> a[0]).toList();
    if (out.size() != inputs.size()) {
      throw new AssertionError(
          expected + " has " + out.size() + " lines for " + inputs.size() + " inputs");
    }
    List<Case> cases = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      cases.add(new Case(i + 1, inputs.get(i)[0], inputs.get(i)[1], JSON.readTree(out.get(i))));
    }
    return cases;
  }

  /** Lines split on '\n' only; a final empty line is dropped (as the reference runner does). */
  static List<String[]> lines(Path p) {
    String all = read(p);
    List<String[]> out = new ArrayList<>();
    int start = 0;
    while (start < all.length()) {
      int nl = all.indexOf('\n', start);
      if (nl < 0) {
        out.add(new String[] {all.substring(start), null});
        break;
      }
      out.add(new String[] {all.substring(start, nl), null});
      start = nl + 1;
    }
    return out;
  }

  static List<String[]> jsonlTexts(Path p) {
    List<String[]> out = new ArrayList<>();
    for (String[] line : lines(p)) {
      JsonNode n = JSON.readTree(line[0]);
      JsonNode pair = n.get("text_pair");
      out.add(
          new String[] {
            n.get("text").asString(), pair == null || pair.isNull() ? null : pair.asString()
          });
    }
    return out;
  }

  static String read(Path p) {
    try (InputStream in =
        p.toString().endsWith(".gz")
            ? new GZIPInputStream(Files.newInputStream(p))
            : Files.newInputStream(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int[] ints(JsonNode array) {
    int[] a = new int[array.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = array.get(i).asInt();
    }
    return a;
  }

  static String[] strings(JsonNode array) {
    String[] a = new String[array.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = array.get(i).asString();
    }
    return a;
  }

  static int[][] offsets(JsonNode array) {
    int[][] a = new int[array.size()][];
    for (int i = 0; i < a.length; i++) {
      a[i] = new int[] {array.get(i).get(0).asInt(), array.get(i).get(1).asInt()};
    }
    return a;
  }

  /** Code-point offsets with HF's [-1, -1] for tokens of no sequence, as in the references. */
  static int[][] referenceOffsets(Encoding e, String text, String pair) {
    int[][] o = e.offsets(OffsetUnit.CODE_POINT, text, pair);
    for (int i = 0; i < o.length; i++) {
      if (e.sequenceIds()[i] < 0) {
        o[i] = new int[] {-1, -1};
      }
    }
    return o;
  }
}
