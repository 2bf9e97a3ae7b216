package io.lmserve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.testkit.SharedData;
import io.lmserve.testkit.TinyModelFolders;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code generate} and {@code fill-mask} on text, with tokenizers that fit the tiny models. */
class TextCommandsTest {

  private static final JsonMapper JSON = JsonMapper.shared();

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = Main.run(args, System.err);
      return new Result(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
  }

  /** The tiny GPT-2 with GPT-2's tokenizer cut to its 1000 ids (EOS 999). */
  private static Path gpt2Folder(Path dir) {
    return TinyModelFolders.gpt2Tiny(dir);
  }

  @Test
  void generateTextSampledWithASeedIsReproducibleAndStreams(@TempDir Path dir) throws Exception {
    String folder = gpt2Folder(dir).toString();
    String[] args = {
      "generate",
      "--model",
      folder,
      "Hello world",
      "--top-k",
      "40",
      "--seed",
      "7",
      "--max-new-tokens",
      "12",
      "--ignore-eos"
    };
    Result a = run(args);
    assertEquals(0, a.code(), a.err());
    JsonNode json = JSON.readTree(a.out());
    assertEquals(12, json.get("ids").size());
    assertEquals("length", json.get("finish_reason").asString());
    assertEquals(run(args).out(), a.out(), "same seed, same output");

    String[] streamed = java.util.Arrays.copyOf(args, args.length + 1);
    streamed[args.length] = "--stream";
    Result s = run(streamed);
    assertEquals(0, s.code(), s.err());
    assertEquals(json.get("text").asString() + System.lineSeparator(), s.out());
    assertTrue(s.err().contains("finish_reason: length"), s.err());
  }

  @Test
  void generateGreedyTextEqualsGreedyIds(@TempDir Path dir) throws Exception {
    String folder = gpt2Folder(dir).toString();
    Result text = run("generate", "--model", folder, "--prompt", "abc", "--max-new-tokens", "8");
    assertEquals(0, text.code(), text.err());
    int[] prompt = io.lmserve.tokenizer.Tokenizer.load(dir).encode("abc").ids();
    String promptIds =
        java.util.Arrays.stream(prompt)
            .mapToObj(String::valueOf)
            .collect(java.util.stream.Collectors.joining(","));
    Result ids =
        run("generate", "--model", folder, "--prompt-ids", promptIds, "--max-new-tokens", "8");
    assertEquals(
        JSON.readTree(ids.out()).get("ids").toString(),
        JSON.readTree(text.out()).get("ids").toString());
  }

  @Test
  void badSamplingOptionsAndMissingTokenizerAreUsageErrors(@TempDir Path dir) throws Exception {
    String folder = gpt2Folder(dir).toString();
    Result topP = run("generate", "--model", folder, "hi", "--top-p", "1.5");
    assertEquals(2, topP.code());
    assertTrue(topP.err().contains("--top-p"), topP.err());
    Result both = run("generate", "--model", folder, "hi", "--prompt-ids", "1");
    assertEquals(2, both.code());
    String bare = SharedData.path("fixtures/models/tiny/gpt2-tiny").toString();
    Result none = run("generate", "--model", bare, "hi");
    assertEquals(2, none.code());
    assertTrue(none.err().contains("has no tokenizer"), none.err());
  }

  @Test
  void fillMaskTextIsShapedLikeHfsPipeline(@TempDir Path dir) throws Exception {
    TinyModelFolders.bertTiny(dir);
    // "!" is id 999, the only word of bert-base-uncased inside the tiny model's 1000 ids
    Result one = run("fill-mask", "--model", dir.toString(), "! [MASK] !", "--top-k", "3");
    assertEquals(0, one.code(), one.err());
    JsonNode list = JSON.readTree(one.out());
    assertEquals(3, list.size());
    for (JsonNode candidate : list) {
      assertEquals(
          java.util.List.of("score", "token", "token_str", "sequence"),
          java.util.List.copyOf(candidate.propertyNames()));
    }
    Result two = run("fill-mask", "--model", dir.toString(), "[MASK] ! [MASK]", "--top-k", "2");
    assertEquals(0, two.code(), two.err());
    JsonNode lists = JSON.readTree(two.out());
    assertEquals(2, lists.size());
    assertEquals(2, lists.get(1).size());
    Result outside = run("fill-mask", "--model", dir.toString(), "the [MASK]");
    assertEquals(2, outside.code());
    assertTrue(outside.err().contains("outside the model's vocabulary"), outside.err());
  }
}
