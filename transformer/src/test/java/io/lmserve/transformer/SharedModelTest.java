package io.lmserve.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * One loaded model shared by many threads (each with its own sessions) gives every thread the
 * logits a single thread gets: the model holds no per-call state and the shared worker pool keeps
 * callers apart. A race would mix rows of different callers and be off by whole logits; the
 * tolerance ({@link #TOLERANCE}) only admits the last-bit differences between the JIT's tiers (the
 * Vector API's interpreted and compiled reductions round differently: the same thread's cold and
 * warm runs of gpt2-tiny differ by up to 1.2e-5 on logits of magnitude ~10).
 */
class SharedModelTest {

  private static final int THREADS = 6;
  private static final int INPUTS = 12;
  private static final double TOLERANCE = 1e-4;

  @Test
  void causalLmSharedByThreadsComputesLikeOne() throws Exception {
    try (CausalLm model = (CausalLm) ModelLoader.load(Golden.modelDir("tiny/gpt2-tiny"))) {
      List<int[]> inputs = inputs(model.config().vocabSize(), 1);
      List<List<float[]>> expected = new ArrayList<>();
      for (int[] ids : inputs) {
        expected.add(causal(model, ids));
      }
      assertSameFromEveryThread(inputs, expected, ids -> causal(model, ids));
    }
  }

  @Test
  void maskedLmSharedByThreadsComputesLikeOne() throws Exception {
    try (MaskedLm model = (MaskedLm) ModelLoader.load(Golden.modelDir("tiny/bert-tiny"))) {
      List<int[]> inputs = inputs(model.config().vocabSize(), 2);
      List<List<float[]>> expected = new ArrayList<>();
      for (int[] ids : inputs) {
        expected.add(masked(model, ids));
      }
      assertSameFromEveryThread(inputs, expected, ids -> masked(model, ids));
    }
  }

  /** Prefill, three decode steps and a cacheless forward of the same ids, as bits. */
  private static List<float[]> causal(CausalLm model, int[] ids) {
    List<float[]> out = new ArrayList<>();
    try (Session session = model.newSession(ids.length + 3)) {
      out.add(session.prefill(ids));
      for (int step = 0; step < 3; step++) {
        out.add(session.decode(ids[step % ids.length]));
      }
    }
    out.addAll(Arrays.asList(model.forward(new int[][] {ids}, null)[0]));
    return out;
  }

  private static List<float[]> masked(MaskedLm model, int[] ids) {
    return Arrays.asList(model.mlmLogits(new int[][] {ids}, null, null)[0]);
  }

  private interface Compute {
    List<float[]> apply(int[] ids) throws Exception;
  }

  /**
   * The largest absolute difference between two lists of logit rows (infinite if shapes differ).
   */
  private static double maxDifference(List<float[]> a, List<float[]> b) {
    if (a.size() != b.size()) {
      return Double.POSITIVE_INFINITY;
    }
    double max = 0;
    for (int r = 0; r < a.size(); r++) {
      if (a.get(r).length != b.get(r).length) {
        return Double.POSITIVE_INFINITY;
      }
      for (int i = 0; i < a.get(r).length; i++) {
        double d = Math.abs(a.get(r)[i] - b.get(r)[i]);
        max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(max, d);
      }
    }
    return max;
  }

  private static void assertSameFromEveryThread(
      List<int[]> inputs, List<List<float[]>> expected, Compute compute) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        Callable<List<String>> task =
            () -> {
              start.await();
              List<String> wrong = new ArrayList<>();
              for (int k = 0; k < inputs.size(); k++) {
                int i = (k + thread * 5) % inputs.size(); // threads start at different inputs
                double off = maxDifference(compute.apply(inputs.get(i)), expected.get(i));
                if (off > TOLERANCE) {
                  wrong.add(
                      "thread "
                          + thread
                          + " input "
                          + Arrays.toString(inputs.get(i))
                          + " off by "
                          + off);
                }
              }
              return wrong;
            };
        results.add(pool.submit(task));
      }
      start.countDown();
      List<String> wrong = new ArrayList<>();
      for (Future<List<String>> f : results) {
        wrong.addAll(f.get());
      }
      assertEquals(List.of(), wrong, "logits that differ from one thread's");
    } finally {
      pool.shutdownNow();
    }
  }

  /** Inputs of different lengths (1 to 40 tokens), so threads run different shapes at once. */
  private static List<int[]> inputs(int vocab, long seed) {
    Random random = new Random(seed);
    List<int[]> inputs = new ArrayList<>();
    for (int i = 0; i < INPUTS; i++) {
      int[] ids = new int[1 + random.nextInt(40)];
      for (int j = 0; j < ids.length; j++) {
        ids[j] = random.nextInt(vocab);
      }
      inputs.add(ids);
    }
    return inputs;
  }
}
