package io.lmserve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.testkit.SharedData;
import io.lmserve.transformer.Quantization;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The models shipped in {@code models/}: lmserve's engine reproduces the loss PyTorch computed on
 * their held-out sets (written by {@code models/training} with the exported float16 weights).
 */
class ShippedModelsTest {

  /**
   * Both sides run float32 arithmetic on the same float16 weights; only summation order differs.
   */
  private static final double LOSS_TOLERANCE = 1e-3;

  private static Path model(String name) {
    return SharedData.projectRoot().resolve("models").resolve(name);
  }

  private static JsonNode heldOut(String name) throws Exception {
    return JsonMapper.shared().readTree(Files.readAllBytes(model(name).resolve("eval.json")));
  }

  private static Map<String, Object> evaluate(String name) throws Exception {
    return EvalCommand.evaluate(model(name).toString(), heldOut(name), Quantization.NONE);
  }

  @Test
  void gptKjvHeldOutLossEqualsPyTorchs() throws Exception {
    Map<String, Object> result = evaluate("gpt-kjv");
    JsonNode set = heldOut("gpt-kjv");
    double loss = (double) result.get("loss");
    double want = set.get("loss").asDouble();
    assertTrue(Math.abs(loss - want) <= LOSS_TOLERANCE, "lmserve " + loss + " vs PyTorch " + want);
    long windows = set.get("windows").size();
    long tokens = set.get("windows").get(0).size();
    assertEquals(windows * (tokens - 1), result.get("predictions"));
    assertEquals(Math.exp(loss), (double) result.get("perplexity"), 1e-9);
  }

  @Test
  void bertKjvHeldOutLossAndTop1EqualPyTorchs() throws Exception {
    Map<String, Object> result = evaluate("bert-kjv");
    JsonNode set = heldOut("bert-kjv");
    double loss = (double) result.get("loss");
    double want = set.get("loss").asDouble();
    assertTrue(Math.abs(loss - want) <= LOSS_TOLERANCE, "lmserve " + loss + " vs PyTorch " + want);
    long predictions = (long) result.get("predictions");
    int masked = 0;
    for (JsonNode row : set.get("positions")) {
      masked += row.size();
    }
    assertEquals(masked, predictions);
    // argmax ties broken differently by rounding may move a prediction or two, not more
    assertEquals(set.get("top1").asDouble(), (double) result.get("top1"), 2.0 / predictions);
    // the bar for a fill-mask model worth serving by default: a third of masked words right
    assertTrue((double) result.get("top1") >= 0.35, "top-1 " + result.get("top1"));
  }

  @Test
  void evalCommandPrintsOneJsonLineAndRejectsAnUnknownKind() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    Path small = Files.createTempFile("eval", ".json");
    Path bad = Files.createTempFile("eval", ".json");
    try {
      JsonNode windows = heldOut("gpt-kjv").get("windows");
      Files.writeString(small, "{\"kind\":\"causal-lm\",\"windows\":[" + windows.get(0) + "]}");
      assertEquals(
          0,
          Main.run(
              new String[] {
                "eval", "--model", model("gpt-kjv").toString(), "--data", small.toString()
              },
              new PrintStream(err, true, StandardCharsets.UTF_8)));
      JsonNode line = JsonMapper.shared().readTree(out.toString(StandardCharsets.UTF_8));
      assertEquals("causal-lm", line.get("kind").asString());
      assertEquals(windows.get(0).size() - 1, line.get("predictions").asInt());
      assertTrue(line.get("perplexity").asDouble() > 1);
      assertTrue(line.get("reference_loss") == null, "no reference loss in the file, none printed");

      Files.writeString(bad, "{\"kind\":\"seq2seq\",\"windows\":[[1,2]]}");
      int code =
          Main.run(
              new String[] {
                "eval", "--model", model("gpt-kjv").toString(), "--data", bad.toString()
              },
              new PrintStream(err, true, StandardCharsets.UTF_8));
      assertEquals(2, code);
      assertTrue(err.toString(StandardCharsets.UTF_8).contains("\"kind\""), err.toString());
    } finally {
      System.setOut(saved);
      Files.deleteIfExists(small);
      Files.deleteIfExists(bad);
    }
  }
}
