package io.lmserve.transformer.gpt2;

import static io.lmserve.transformer.Golden.floats;
import static io.lmserve.transformer.Golden.ints2d;
import static io.lmserve.transformer.Golden.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lmserve.transformer.CausalLm;
import io.lmserve.transformer.Golden;
import io.lmserve.transformer.Session;
import io.lmserve.transformer.nn.Kernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** GPT-2 against the PyTorch reference's goldens: every case, every dtype, every naming variant. */
class Gpt2GoldenTest {

  static Stream<Arguments> models() {
    return Stream.of(
        Arguments.of("tiny/gpt2-tiny", "tiny/gpt2-tiny"),
        Arguments.of("tiny/gpt2-tiny-f16", "tiny/gpt2-tiny-f16"),
        Arguments.of("tiny/gpt2-tiny-bf16", "tiny/gpt2-tiny-bf16"),
        Arguments.of("variants/gpt2-tiny-legacy", "tiny/gpt2-tiny"),
        Arguments.of("variants/gpt2-tiny-lmhead", "tiny/gpt2-tiny"));
  }

  static Stream<Arguments> modelsAndKernels() {
    return Golden.withBothKernels(models());
  }

  static CausalLm load(String dir, Kernels kernels) throws Exception {
    return Golden.load(dir, kernels, CausalLm.class);
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("modelsAndKernels")
  void everyCaseMatchesLogitsAndHiddenStates(String dir, String goldenDir, Kernels kernels)
      throws Exception {
    Golden golden = Golden.of(goldenDir);
    Golden.Diff logitsDiff = new Golden.Diff();
    Golden.Diff hiddenDiff = new Golden.Diff();
    try (CausalLm model = load(dir, kernels)) {
      for (JsonNode c : golden.cases()) {
        String name = c.get("name").stringValue();
        int[][] ids = ints2d(c.get("input_ids"));
        int[][] mask = ints2d(c.get("attention_mask"));
        int[][] valid = ints2d(c.get("valid_mask"));
        Golden.compare(model.forward(ids, mask), floats(c.get("logits")), valid, name, logitsDiff);
        float[][][][] hs = model.hiddenStates(ids, mask);
        Golden.compareHiddenStates(hs, c, valid, name, hiddenDiff);
      }
    }
    System.out.printf("%s %s: logits %s; hidden %s%n", dir, kernels, logitsDiff, hiddenDiff);
    assertEquals(0, logitsDiff.mismatches, dir + " logits: " + logitsDiff);
    assertEquals(0, hiddenDiff.mismatches, dir + " hidden states: " + hiddenDiff);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void sessionPrefillMatchesSingleCaseAndChunkedPrefillMatchesOneShot(String dir, String goldenDir)
      throws Exception {
    Golden golden = Golden.of(goldenDir);
    JsonNode single = golden.cases().get(0);
    int[] ids = ints2d(single.get("input_ids"))[0];
    float[] expected = floats(single.get("logits"));
    int vocab = shape(single.get("logits"))[2];
    Golden.Diff diff = new Golden.Diff();
    try (CausalLm model = load(dir, Kernels.preferred())) {
      Session oneShot = model.newSession();
      float[][] all = oneShot.prefillAllLogits(ids);
      Session chunked = model.newSession();
      float[][] first = chunked.prefillAllLogits(Arrays.copyOfRange(ids, 0, 10));
      float[][] rest = chunked.prefillAllLogits(Arrays.copyOfRange(ids, 10, ids.length));
      assertEquals(ids.length, chunked.length());
      for (int t = 0; t < ids.length; t++) {
        float[] got = t < 10 ? first[t] : rest[t - 10];
        for (int v = 0; v < vocab; v++) {
          diff.add(all[t][v], expected[t * vocab + v], "one-shot[" + t + "," + v + "]");
          diff.add(got[v], expected[t * vocab + v], "chunked[" + t + "," + v + "]");
        }
      }
      float[] last = model.newSession().prefill(ids);
      assertArrayEquals(all[ids.length - 1], last, 1e-6f, "prefill = last of prefillAllLogits");
    }
    assertEquals(0, diff.mismatches, diff.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void greedyGenerationWithAndWithoutCacheMatchesGolden(String dir, String goldenDir)
      throws Exception {
    Golden golden = Golden.of(goldenDir);
    Golden.Diff cached = new Golden.Diff();
    Golden.Diff uncached = new Golden.Diff();
    try (CausalLm model = load(dir, Kernels.preferred())) {
      for (JsonNode g : golden.generations()) {
        String name = g.get("name").stringValue();
        int[][] prompt = ints2d(g.get("prompt_ids"));
        int[][] mask = ints2d(g.get("attention_mask"));
        int[][] newTokens = ints2d(g.get("new_tokens"));
        int steps = g.get("max_new_tokens").intValue();
        float[] stepCached = floats(g.get("step_logits_kv_cache"));
        float[] stepUncached = floats(g.get("step_logits_no_cache"));
        int batch = prompt.length;
        int vocab = model.config().vocabSize();

        // With the cache: one session per row holding the row's real tokens, one batched step
        // per new token.
        List<Session> sessions = new ArrayList<>();
        float[][] logits = new float[batch][];
        for (int b = 0; b < batch; b++) {
          Session s = model.newSession();
          sessions.add(s);
          logits[b] = s.prefill(realTokens(prompt[b], mask == null ? null : mask[b]));
        }
        int[][] generated = new int[batch][steps];
        for (int step = 0; step < steps; step++) {
          int[] next = new int[batch];
          for (int b = 0; b < batch; b++) {
            for (int v = 0; v < vocab; v++) {
              cached.add(
                  logits[b][v],
                  stepCached[(step * batch + b) * vocab + v],
                  name + " cached step " + step + " row " + b);
            }
            next[b] = argmax(logits[b]);
            generated[b][step] = next[b];
          }
          if (step + 1 < steps) {
            logits = model.decodeBatch(sessions, next);
          }
        }
        assertArrayEquals(newTokens, generated, name + ": tokens with the KV cache");

        // Without the cache: the whole padded prefix again at every step.
        int[][] ids = prompt;
        int[][] m = mask;
        int[][] generatedNoCache = new int[batch][steps];
        for (int step = 0; step < steps; step++) {
          float[][][] all = model.forward(ids, m);
          int[][] nextIds = new int[batch][];
          int[][] nextMask = new int[batch][];
          for (int b = 0; b < batch; b++) {
            float[] last = all[b][ids[b].length - 1];
            for (int v = 0; v < vocab; v++) {
              uncached.add(
                  last[v],
                  stepUncached[(step * batch + b) * vocab + v],
                  name + " no-cache step " + step + " row " + b);
            }
            generatedNoCache[b][step] = argmax(last);
            nextIds[b] = Arrays.copyOf(ids[b], ids[b].length + 1);
            nextIds[b][ids[b].length] = generatedNoCache[b][step];
            nextMask[b] = m == null ? null : Arrays.copyOf(m[b], m[b].length + 1);
            if (m != null) {
              nextMask[b][m[b].length] = 1;
            }
          }
          ids = nextIds;
          m = m == null ? null : nextMask;
        }
        assertArrayEquals(newTokens, generatedNoCache, name + ": tokens without the cache");
      }
    }
    System.out.printf("%s generation: cached %s; uncached %s%n", dir, cached, uncached);
    assertEquals(0, cached.mismatches, "step logits with cache: " + cached);
    assertEquals(0, uncached.mismatches, "step logits without cache: " + uncached);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void batchedDecodeEqualsOneSessionAtATime(String dir, String goldenDir) throws Exception {
    try (CausalLm model = load(dir, Kernels.preferred())) {
      int[][] prompts = {{5, 17, 42}, {7, 8, 9, 10, 11, 12, 13}, {999}};
      List<Session> batched = new ArrayList<>();
      List<Session> single = new ArrayList<>();
      int[] next = new int[prompts.length];
      for (int b = 0; b < prompts.length; b++) {
        batched.add(model.newSession());
        single.add(model.newSession());
        batched.get(b).prefill(prompts[b]);
        next[b] = argmax(single.get(b).prefill(prompts[b]));
      }
      for (int step = 0; step < 6; step++) {
        float[][] together = model.decodeBatch(batched, next);
        for (int b = 0; b < prompts.length; b++) {
          float[] alone = single.get(b).decode(next[b]);
          // Not bit-exact: the Vector API leaves the order of a lane reduction unspecified
          // (interpreter and JIT differ), so equal inputs may differ in the last bits.
          assertArrayEquals(alone, together[b], 1e-5f, "row " + b + " step " + step);
          next[b] = argmax(alone);
        }
      }
      assertEquals(prompts[1].length + 6, batched.get(1).length());
    }
  }

  static int[] realTokens(int[] ids, int[] mask) {
    return mask == null
        ? ids
        : java.util.stream.IntStream.range(0, ids.length)
            .filter(t -> mask[t] == 1)
            .map(t -> ids[t])
            .toArray();
  }

  static int argmax(float[] logits) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }
}
