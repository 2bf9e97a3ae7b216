package io.lmserve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.testkit.SharedData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code encode} and {@code decode} end to end, checked against HF tokenizers' outputs. */
class TokenizerCommandsTest {

  private record Result(int code, String out, String err) {
    List<String> lines() {
      return out.isEmpty()
          ? List.of()
          : List.of(out.split("\n", -1)).subList(0, out.split("\n", -1).length - 1);
    }
  }

  private static Result run(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream savedOut = System.out;
    InputStream savedIn = System.in;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    try {
      int code = Main.run(args, new PrintStream(err, true, StandardCharsets.UTF_8));
      return new Result(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(savedOut);
      System.setIn(savedIn);
    }
  }

  private static Path fixture(String relative) {
    return SharedData.path("fixtures/tokenizers/" + relative);
  }

  /** Our lines against the reference's, field by field (the reference may have more fields). */
  private static void assertSameAsReference(List<String> ours, Path expected, String... fields)
      throws Exception {
    List<String> reference = Files.readAllLines(expected, StandardCharsets.UTF_8);
    assertEquals(reference.size(), ours.size());
    for (int i = 0; i < ours.size(); i++) {
      JsonNode a = JsonMapper.shared().readTree(ours.get(i));
      JsonNode b = JsonMapper.shared().readTree(reference.get(i));
      for (String f : fields) {
        assertEquals(b.get(f), a.get(f), "line " + (i + 1) + " field " + f);
      }
    }
  }

  @Test
  void encodeJsonlMatchesHfTokenizersForGpt2() throws Exception {
    String input = Files.readString(fixture("corpus/edge.jsonl"));
    Result r = run(input, "encode", "--tokenizer", fixture("hf/gpt2").toString(), "--jsonl");
    assertEquals(0, r.code(), r.err());
    assertSameAsReference(
        r.lines(), fixture("expected/edge/gpt2.jsonl"), "ids", "tokens", "offsets");
  }

  @Test
  void encodePairsMatchHfTokenizersForBert() throws Exception {
    String input = Files.readString(fixture("corpus/pairs.jsonl"));
    Result r =
        run(
            input,
            "encode",
            "--tokenizer",
            fixture("hf/bert-base-uncased/tokenizer.json").toString(),
            "--jsonl",
            "--pairs");
    assertEquals(0, r.code(), r.err());
    assertSameAsReference(
        r.lines(), fixture("expected/pairs/bert.jsonl"), "ids", "tokens", "offsets", "type_ids");
  }

  @Test
  void encodePlainLinesWithOptions() {
    Path vocab = fixture("vocab/bert-base-uncased/vocab.txt");
    Result r =
        run(
            "Héllo world\r\nsecond\tline\n",
            "encode",
            "--tokenizer",
            vocab.toString(),
            "--no-special",
            "--offsets",
            "utf8");
    assertEquals(0, r.code(), r.err());
    assertEquals(
        List.of(
            "{\"ids\":[7592,2088],\"tokens\":[\"hello\",\"world\"],\"offsets\":[[0,6],[7,12]],\"type_ids\":[0,0]}",
            "{\"ids\":[2117,2240],\"tokens\":[\"second\",\"line\"],\"offsets\":[[0,6],[7,11]],\"type_ids\":[0,0]}"),
        r.lines());
    Result pair = run("a b\tc\n", "encode", "--tokenizer", vocab.toString(), "--pairs");
    assertEquals(
        "{\"ids\":[101,1037,1038,102,1039,102],\"tokens\":[\"[CLS]\",\"a\",\"b\",\"[SEP]\",\"c\",\"[SEP]\"],"
            + "\"offsets\":[[-1,-1],[0,1],[2,3],[-1,-1],[0,1],[-1,-1]],\"type_ids\":[0,0,0,0,1,1]}",
        pair.lines().get(0));
  }

  @Test
  void decodeArraysAndEncodeOutput() {
    Path gpt2 = fixture("hf/gpt2/tokenizer.json");
    Result r =
        run(
            "[15496,995]\n{\"ids\":[40,1101,50256]}\n[]\n",
            "decode",
            "--tokenizer",
            gpt2.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(List.of("Hello world", "I'm<|endoftext|>", ""), r.lines());
    Result skipped =
        run(
            "[40,1101,50256,198]\n",
            "decode",
            "--tokenizer",
            gpt2.toString(),
            "--skip-special",
            "--jsonl");
    assertEquals(List.of("{\"text\":\"I'm\\u000a\"}"), skipped.lines());
  }

  @Test
  void badInputIsReportedInOneLine() {
    Path gpt2 = fixture("hf/gpt2/tokenizer.json");
    Result badUnit = run("", "encode", "--tokenizer", gpt2.toString(), "--offsets", "bytes");
    assertEquals(2, badUnit.code());
    assertTrue(badUnit.err().contains("--offsets"), badUnit.err());
    Result badId = run("[1, 999999]\n", "decode", "--tokenizer", gpt2.toString());
    assertEquals(1, badId.code());
    assertTrue(badId.err().contains("999999"), badId.err());
    Result notJson = run("{nope\n", "encode", "--tokenizer", gpt2.toString(), "--jsonl");
    assertEquals(2, notJson.code());
    assertTrue(notJson.err().contains("line 1"), notJson.err());
    Result missing = run("", "encode", "--tokenizer", "/nonexistent/tok");
    assertEquals(1, missing.code());
    assertTrue(missing.err().contains("/nonexistent/tok"), missing.err());
  }
}
