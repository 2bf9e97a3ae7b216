package io.lmserve.generation;

import io.lmserve.testkit.SharedData;
import io.lmserve.testkit.TinyModelFolders;
import io.lmserve.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The tiny reference models, their goldens, and tokenizers whose vocabularies fit them. */
public final class TinyModels {

  private static final JsonMapper JSON = JsonMapper.shared();

  private TinyModels() {}

  public static Path gpt2Tiny() {
    return SharedData.path("fixtures/models/tiny/gpt2-tiny");
  }

  public static Path bertTiny() {
    return SharedData.path("fixtures/models/tiny/bert-tiny");
  }

  public static JsonNode golden(Path modelFolder) throws IOException {
    return JSON.readTree(Files.readAllBytes(modelFolder.resolve("golden.json")));
  }

  public static int[] ints(JsonNode tensor) {
    JsonNode data = tensor.get("data");
    int[] out = new int[data.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = data.get(i).asInt();
    }
    return out;
  }

  /** Row {@code row} of a {@code [..., width]} float tensor flattened in its data. */
  public static float[] floatRow(JsonNode tensor, int row, int width) {
    JsonNode data = tensor.get("data");
    float[] out = new float[width];
    for (int i = 0; i < width; i++) {
      out[i] = (float) data.get(row * width + i).asDouble();
    }
    return out;
  }

  public static JsonNode named(JsonNode list, String name) {
    for (JsonNode node : list) {
      if (node.get("name").asString().equals(name)) {
        return node;
      }
    }
    throw new AssertionError("no golden case " + name);
  }

  /** GPT-2's tokenizer cut to the tiny model's 1000 ids ({@link TinyModelFolders#gpt2Tiny}). */
  public static Tokenizer gpt2TinyTokenizer(Path workDir) throws IOException {
    Path file = workDir.resolve("tokenizer.json");
    Files.writeString(file, TinyModelFolders.gpt2TokenizerJson());
    return Tokenizer.load(file);
  }

  static List<Integer> list(int[] values) {
    List<Integer> out = new ArrayList<>();
    for (int v : values) {
      out.add(v);
    }
    return out;
  }
}
