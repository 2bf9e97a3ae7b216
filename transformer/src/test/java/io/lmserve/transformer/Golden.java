package io.lmserve.transformer;

import io.lmserve.testkit.SharedData;
import io.lmserve.transformer.nn.Kernels;
import io.lmserve.transformer.nn.WorkerPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A {@code golden.json} of the PyTorch reference, read into plain arrays. */
public record Golden(JsonNode root) {

  /** Logits and hidden states: the reference's own advice (fp32 vs fp64 differs by ≤ 2.3e-5). */
  public static final double ATOL = 1e-4;

  public static final double RTOL = 1e-5;

  public static Path modelDir(String relative) {
    return SharedData.path("fixtures/models/" + relative);
  }

  public static Golden of(String modelDir) throws IOException {
    return new Golden(
        JsonMapper.shared()
            .readTree(Files.readAllBytes(modelDir(modelDir).resolve("golden.json"))));
  }

  public List<JsonNode> cases() {
    return list(root.get("cases"));
  }

  public List<JsonNode> generations() {
    return list(root.get("generation"));
  }

  private static List<JsonNode> list(JsonNode n) {
    List<JsonNode> out = new ArrayList<>();
    if (n != null) {
      n.forEach(out::add);
    }
    return out;
  }

  public static int[] shape(JsonNode array) {
    JsonNode s = array.get("shape");
    int[] out = new int[s.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = s.get(i).intValue();
    }
    return out;
  }

  public static float[] floats(JsonNode array) {
    JsonNode d = array.get("data");
    float[] out = new float[d.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) d.get(i).doubleValue();
    }
    return out;
  }

  /** A 2-D int64 array as int[rows][cols], or null for a JSON null / missing field. */
  public static int[][] ints2d(JsonNode array) {
    if (array == null || array.isNull()) {
      return null;
    }
    int[] s = shape(array);
    JsonNode d = array.get("data");
    int[][] out = new int[s[0]][s[1]];
    for (int i = 0; i < s[0]; i++) {
      for (int j = 0; j < s[1]; j++) {
        out[i][j] = d.get(i * s[1] + j).intValue();
      }
    }
    return out;
  }

  /** Compares {@code actual[b][t][:]} with the flat golden where {@code valid[b][t] == 1}. */
  public static void compare(
      float[][][] actual, float[] expected, int[][] valid, String name, Golden.Diff diff) {
    int width = actual[0][0].length;
    for (int b = 0; b < actual.length; b++) {
      for (int t = 0; t < actual[b].length; t++) {
        if (valid[b][t] != 1) {
          continue;
        }
        int base = (b * actual[b].length + t) * width;
        for (int v = 0; v < width; v++) {
          diff.add(actual[b][t][v], expected[base + v], name + "[" + b + "," + t + "," + v + "]");
        }
      }
    }
  }

  /** Compares HF-style hidden states {@code [layers + 1][b][t][h]} with a case's golden. */
  public static void compareHiddenStates(
      float[][][][] hs, JsonNode goldenCase, int[][] valid, String name, Diff diff) {
    int[] s = shape(goldenCase.get("hidden_states"));
    float[] expected = floats(goldenCase.get("hidden_states"));
    int per = s[1] * s[2] * s[3];
    if (hs.length != s[0]) {
      throw new AssertionError(name + ": " + hs.length + " hidden states, expected " + s[0]);
    }
    for (int l = 0; l < hs.length; l++) {
      compare(
          hs[l],
          java.util.Arrays.copyOfRange(expected, l * per, (l + 1) * per),
          valid,
          name + " hidden[" + l + "]",
          diff);
    }
  }

  /**
   * Each (model, golden) pair with the vector kernels, and the checkpoints of distinct weights (not
   * the naming variants, which hold the same ones) also with the scalar reference kernels.
   */
  public static Stream<Arguments> withBothKernels(Stream<Arguments> models) {
    return models.flatMap(
        a ->
            Stream.of(Kernels.vector(), Kernels.scalar())
                .filter(k -> k == Kernels.vector() || a.get()[0].equals(a.get()[1]))
                .map(k -> Arguments.of(a.get()[0], a.get()[1], k)));
  }

  /** Loads a fixture model folder as {@code type}. */
  public static <T extends LanguageModel> T load(String dir, Kernels kernels, Class<T> type)
      throws IOException {
    LanguageModel model = ModelLoader.load(modelDir(dir), kernels, WorkerPool.shared());
    if (!type.isInstance(model)) {
      model.close();
      throw new AssertionError(dir + " loaded as " + model + ", not a " + type.getSimpleName());
    }
    return type.cast(model);
  }

  /** Tracks the largest |actual - expected| and counts entries outside atol + rtol·|expected|. */
  public static final class Diff {
    public double maxAbs;
    public long mismatches;
    public long compared;
    public String firstMismatch;

    public void add(float actual, float expected, String where) {
      double d = Math.abs((double) actual - expected);
      if (!(d <= maxAbs)) {
        maxAbs = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(maxAbs, d);
      }
      compared++;
      if (!(d <= ATOL + RTOL * Math.abs(expected))) {
        mismatches++;
        if (firstMismatch == null) {
          firstMismatch = where + ": " + actual + " vs " + expected;
        }
      }
    }

    public void merge(Diff other) {
      maxAbs = Math.max(maxAbs, other.maxAbs);
      mismatches += other.mismatches;
      compared += other.compared;
      if (firstMismatch == null) {
        firstMismatch = other.firstMismatch;
      }
    }

    @Override
    public String toString() {
      return "max |diff| "
          + maxAbs
          + ", "
          + mismatches
          + "/"
          + compared
          + " outside tolerance"
          + (firstMismatch == null ? "" : " (first: " + firstMismatch + ")");
    }
  }
}
