package io.lmserve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.testkit.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code generate} and {@code fill-mask} end to end on the tiny reference models. */
class ModelCommandsTest {

  private record Result(int code, String out, String err) {
    JsonNode json() {
      return JsonMapper.shared().readTree(out);
    }
  }

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int code = Main.run(args, new PrintStream(err, true, StandardCharsets.UTF_8));
      return new Result(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(saved);
    }
  }

  private static Path model(String name) {
    return SharedData.path("fixtures/models/tiny/" + name);
  }

  private static JsonNode golden(String name) throws Exception {
    return JsonMapper.shared().readTree(Files.readAllBytes(model(name).resolve("golden.json")));
  }

  private static List<Integer> ints(JsonNode array) {
    List<Integer> out = new ArrayList<>();
    array.forEach(n -> out.add(n.intValue()));
    return out;
  }

  @Test
  void generateReproducesTheGoldenGreedyTokensWithAndWithoutCache() throws Exception {
    JsonNode g = golden("gpt2-tiny").get("generation").get(0);
    String prompt =
        ints(g.get("prompt_ids").get("data")).stream()
            .map(String::valueOf)
            .collect(Collectors.joining(","));
    List<Integer> expected = ints(g.get("new_tokens").get("data"));
    String dir = model("gpt2-tiny").toString();
    // int8 weights keep every golden greedy token on this model (its top-2 margins are >= 0.07)
    for (String[] extra : new String[][] {{}, {"--no-cache"}, {"--quantize", "int8"}}) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "generate", "--model", dir, "--prompt-ids", prompt, "--max-new-tokens", "20"));
      args.addAll(List.of(extra));
      Result r = run(args.toArray(String[]::new));
      assertEquals(0, r.code(), r.err());
      assertEquals(1, r.out().lines().count(), "one JSON line");
      assertEquals(expected, ints(r.json().get("ids")), String.join(" ", extra));
    }
    Result three = run("generate", "--model", dir, "--prompt-ids=5,17,42", "--max-new-tokens", "3");
    assertEquals(3, three.json().get("ids").size());
  }

  @Test
  void fillMaskGivesSoftmaxTopKAtEveryMask() throws Exception {
    JsonNode pair = golden("bert-tiny").get("cases").get(2);
    List<Integer> ids = ints(pair.get("input_ids").get("data"));
    List<Integer> types = ints(pair.get("token_type_ids").get("data"));
    List<Integer> argmax = ints(pair.get("argmax_at_valid").get("data"));
    int mask = 103;
    List<Integer> masks =
        IntStream.range(0, ids.size()).filter(t -> ids.get(t) == mask).boxed().toList();
    Result r =
        run(
            "fill-mask",
            "--model",
            model("bert-tiny").toString(),
            "--ids",
            join(ids),
            "--type-ids",
            join(types),
            "--mask-id",
            "103",
            "--top-k",
            "4");
    assertEquals(0, r.code(), r.err());
    JsonNode predictions = r.json().get("predictions");
    assertEquals(masks.size(), predictions.size());
    for (int i = 0; i < masks.size(); i++) {
      JsonNode list = predictions.get(i);
      assertEquals(4, list.size());
      assertEquals(
          argmax.get(masks.get(i)), list.get(0).get("id").intValue(), "top-1 = golden argmax");
      double previous = 1;
      for (JsonNode p : list) {
        double score = p.get("score").doubleValue();
        assertTrue(score > 0 && score <= previous, "scores are descending probabilities");
        previous = score;
      }
    }
  }

  @Test
  void fillMaskWithoutAMaskIdInConfigAsksForOne() {
    Result r =
        run("fill-mask", "--model", model("bert-tiny").toString(), "--ids", "101,7,103,9,102");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("no mask_token_id: pass --mask-id N"), r.err());
    Result none =
        run(
            "fill-mask",
            "--model",
            model("bert-tiny").toString(),
            "--ids",
            "101,7,9,102",
            "--mask-id",
            "103");
    assertEquals(2, none.code());
    assertTrue(none.err().contains("no position holds the mask id 103"), none.err());
  }

  @Test
  void helpAndUsageErrors() {
    for (String command : new String[] {"generate", "fill-mask"}) {
      Result help = run(command, "--help");
      assertEquals(0, help.code());
      assertTrue(help.out().startsWith("Usage: lmserve " + command), help.out());
      Result bad = run(command, "--modle", "x");
      assertEquals(2, bad.code());
      assertTrue(bad.err().contains("unknown option '--modle'"), bad.err());
    }
    Result wrongKind =
        run("generate", "--model", model("bert-tiny").toString(), "--prompt-ids", "1,2");
    assertEquals(2, wrongKind.code());
    assertTrue(wrongKind.err().contains("holds a bert model"), wrongKind.err());
    Result tooLong =
        run(
            "generate",
            "--model",
            model("gpt2-tiny").toString(),
            "--prompt-ids",
            "1,2",
            "--max-new-tokens",
            "127");
    assertEquals(2, tooLong.code());
    assertTrue(tooLong.err().contains("exceed the model's context of 128"), tooLong.err());
    Result badId = run("generate", "--model", model("gpt2-tiny").toString(), "--prompt-ids", "1,x");
    assertTrue(badId.err().contains("--prompt-ids: 'x' is not an integer"), badId.err());
    Result badQuantize =
        run(
            "generate",
            "--model",
            model("gpt2-tiny").toString(),
            "--prompt-ids",
            "1",
            "--quantize",
            "int4");
    assertEquals(2, badQuantize.code());
    assertTrue(
        badQuantize.err().contains("--quantize: unknown quantization 'int4'"), badQuantize.err());
    Result missing = run("generate", "--prompt-ids", "1");
    assertTrue(missing.err().contains("--model is required"), missing.err());
  }

  private static String join(List<Integer> values) {
    return values.stream().map(String::valueOf).collect(Collectors.joining(","));
  }
}
