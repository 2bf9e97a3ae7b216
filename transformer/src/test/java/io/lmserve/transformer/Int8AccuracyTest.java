package io.lmserve.transformer;

import static io.lmserve.transformer.Golden.floats;
import static io.lmserve.transformer.Golden.ints2d;
import static io.lmserve.transformer.Golden.shape;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.transformer.nn.Kernels;
import io.lmserve.transformer.nn.WorkerPool;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * {@code --quantize int8} against the float goldens: the largest logit error and how often the int8
 * model's top token equals the golden one. Greedy steps are teacher-forced (the golden token is fed
 * back), so every step is compared on the same prefix.
 */
class Int8AccuracyTest {

  /** Greedy agreement required on the GPT-2 goldens, whose top-2 margins are at least 0.07. */
  private static final double MIN_GREEDY_AGREEMENT = 0.95;

  /**
   * Top-token agreement required at every BERT golden position: those have no margin guarantee, and
   * near-ties flip under any weight rounding (measured 94.0-97.3 %).
   */
  private static final double MIN_MLM_AGREEMENT = 0.90;

  /**
   * Largest |logit error| accepted on the tiny checkpoints, whose weights are drawn more than ten
   * times wider than real ones (logits up to ~20); measured 0.45-0.69, so a broken scale or block
   * (errors of several units) shows.
   */
  private static final double MAX_LOGIT_ERROR = 1.0;

  static Stream<Arguments> models() {
    return withBothKernels("gpt2-tiny");
  }

  static Stream<Arguments> bertModels() {
    return withBothKernels("bert-tiny");
  }

  /** The F32, F16 and BF16 tiny checkpoints of {@code name}, each with both kernels. */
  private static Stream<Arguments> withBothKernels(String name) {
    return Stream.of("", "-f16", "-bf16")
        .flatMap(
            dtype ->
                Stream.of(Kernels.vector(), Kernels.scalar())
                    .map(k -> Arguments.of("tiny/" + name + dtype, k)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("models")
  void gpt2GreedyStepsAgreeWithTheGoldens(String dir, Kernels kernels) throws Exception {
    Golden golden = Golden.of(dir);
    double maxError = 0;
    int agree = 0;
    int steps = 0;
    try (LanguageModel loaded =
        ModelLoader.load(Golden.modelDir(dir), kernels, WorkerPool.shared(), Quantization.INT8)) {
      CausalLm model = (CausalLm) loaded;
      int vocab = model.config().vocabSize();
      for (JsonNode g : golden.generations()) {
        int[][] prompt = ints2d(g.get("prompt_ids"));
        int[][] mask = ints2d(g.get("attention_mask"));
        int[][] newTokens = ints2d(g.get("new_tokens"));
        float[] stepLogits = floats(g.get("step_logits_kv_cache"));
        int batch = prompt.length;
        List<Session> sessions = new ArrayList<>();
        float[][] logits = new float[batch][];
        for (int b = 0; b < batch; b++) {
          int[] row = prompt[b];
          int[] m = mask == null ? null : mask[b];
          int[] real =
              IntStream.range(0, row.length)
                  .filter(t -> m == null || m[t] == 1)
                  .map(t -> row[t])
                  .toArray();
          sessions.add(model.newSession());
          logits[b] = sessions.get(b).prefill(real);
        }
        for (int step = 0; step < newTokens[0].length; step++) {
          int[] next = new int[batch];
          for (int b = 0; b < batch; b++) {
            for (int v = 0; v < vocab; v++) {
              maxError =
                  Math.max(
                      maxError,
                      Math.abs(logits[b][v] - stepLogits[(step * batch + b) * vocab + v]));
            }
            next[b] = newTokens[b][step];
            agree += argmax(logits[b]) == next[b] ? 1 : 0;
            steps++;
          }
          logits = model.decodeBatch(sessions, next);
        }
      }
      // a padded prefill (tiled kernels, 4+ rows) against the golden logits of every case
      for (JsonNode c : golden.cases()) {
        float[][][] got =
            model.forward(ints2d(c.get("input_ids")), ints2d(c.get("attention_mask")));
        maxError = Math.max(maxError, maxError(got, c));
      }
    }
    report(dir + " " + kernels, maxError, agree, steps, MIN_GREEDY_AGREEMENT);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("bertModels")
  void bertTopTokensAgreeWithTheGoldens(String dir, Kernels kernels) throws Exception {
    Golden golden = Golden.of(dir);
    double maxError = 0;
    int agree = 0;
    int positions = 0;
    try (LanguageModel loaded =
        ModelLoader.load(Golden.modelDir(dir), kernels, WorkerPool.shared(), Quantization.INT8)) {
      MaskedLm model = (MaskedLm) loaded;
      for (JsonNode c : golden.cases()) {
        float[][][] got =
            model.mlmLogits(
                ints2d(c.get("input_ids")),
                ints2d(c.get("token_type_ids")),
                ints2d(c.get("attention_mask")));
        maxError = Math.max(maxError, maxError(got, c));
        float[] want = floats(c.get("logits"));
        int[][] valid = ints2d(c.get("valid_mask"));
        int width = shape(c.get("logits"))[1];
        int vocab = shape(c.get("logits"))[2];
        for (int b = 0; b < got.length; b++) {
          for (int t = 0; t < got[b].length; t++) {
            if (valid == null || valid[b][t] == 1) {
              float[] row = new float[vocab];
              System.arraycopy(want, (b * width + t) * vocab, row, 0, vocab);
              agree += argmax(got[b][t]) == argmax(row) ? 1 : 0;
              positions++;
            }
          }
        }
      }
    }
    report(dir + " " + kernels, maxError, agree, positions, MIN_MLM_AGREEMENT);
  }

  private static double maxError(float[][][] got, JsonNode c) {
    float[] want = floats(c.get("logits"));
    int[][] valid = ints2d(c.get("valid_mask"));
    int width = shape(c.get("logits"))[1];
    int vocab = shape(c.get("logits"))[2];
    double max = 0;
    for (int b = 0; b < got.length; b++) {
      for (int t = 0; t < got[b].length; t++) {
        if (valid == null || valid[b][t] == 1) {
          for (int v = 0; v < vocab; v++) {
            max = Math.max(max, Math.abs(got[b][t][v] - want[(b * width + t) * vocab + v]));
          }
        }
      }
    }
    return max;
  }

  private static void report(
      String what, double maxError, int agree, int total, double minAgreement) {
    double agreement = (double) agree / total;
    System.out.printf(
        "int8 %s: max |logit error| %.4f, top token equal on %d/%d (%.1f %%)%n",
        what, maxError, agree, total, 100 * agreement);
    assertTrue(total > 0, what + ": nothing compared");
    assertTrue(agreement >= minAgreement, what + ": agreement " + agreement);
    assertTrue(maxError <= MAX_LOGIT_ERROR, what + ": max logit error " + maxError);
  }

  private static int argmax(float[] logits) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }
}
