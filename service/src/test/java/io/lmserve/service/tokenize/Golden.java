package io.lmserve.service.tokenize;

import io.lmserve.testkit.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Lines of the reference outputs in ../shared, with the texts they were made from. */
record Golden(String text, JsonNode expected) {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** {@code kind} is a file of expected/edge, e.g. {@code gpt2} or {@code bert}. */
  static List<Golden> edge(String kind) throws IOException {
    List<String> texts =
        Files.readAllLines(SharedData.path("fixtures/tokenizers/corpus/edge.jsonl"));
    List<String> expected =
        Files.readAllLines(SharedData.path("fixtures/tokenizers/expected/edge/" + kind + ".jsonl"));
    if (texts.size() != expected.size()) {
      throw new AssertionError("edge.jsonl and " + kind + ".jsonl differ in length");
    }
    return java.util.stream.IntStream.range(0, texts.size())
        .mapToObj(
            i ->
                new Golden(
                    JSON.readTree(texts.get(i)).get("text").asString(),
                    JSON.readTree(expected.get(i))))
        .toList();
  }

  int[] ids() {
    return JSON.convertValue(expected.get("ids"), int[].class);
  }

  String[] tokens() {
    return JSON.convertValue(expected.get("tokens"), String[].class);
  }

  int[][] offsets() {
    return JSON.convertValue(expected.get("offsets"), int[][].class);
  }

  String decoded() {
    return expected.get("decoded").asString();
  }
}
