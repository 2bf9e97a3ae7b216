package io.lmserve.transformer.gpt2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.transformer.CausalLm;
import io.lmserve.transformer.Golden;
import io.lmserve.transformer.Session;
import io.lmserve.transformer.nn.Kernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Invariants over random inputs: however a sequence is fed (padded left or right inside a batch,
 * prefilled in pieces, decoded alone, in a batch or on another thread), its logits are the same.
 */
class Gpt2PropertiesTest {

  private static final float TOLERANCE = 2e-5f;
  private static CausalLm model;
  private final Random random = new Random(7);

  @BeforeAll
  static void load() throws Exception {
    model = Golden.load("tiny/gpt2-tiny", Kernels.preferred(), CausalLm.class);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private int[] randomTokens(int length) {
    return random.ints(length, 0, model.config().vocabSize()).toArray();
  }

  @Test
  void paddedRowsEqualTheirSequencesWhereverThePaddingSits() {
    for (int trial = 0; trial < 8; trial++) {
      int rows = 1 + random.nextInt(4);
      int width = 1 + random.nextInt(24);
      int[][] ids = new int[rows][width];
      int[][] mask = new int[rows][width];
      int[][] real = new int[rows][];
      for (int b = 0; b < rows; b++) {
        int length = 1 + random.nextInt(width);
        real[b] = randomTokens(length);
        boolean left = random.nextBoolean();
        int start = left ? width - length : 0;
        for (int t = 0; t < width; t++) {
          ids[b][t] = random.nextInt(model.config().vocabSize()); // padding content must not matter
        }
        for (int t = 0; t < length; t++) {
          ids[b][start + t] = real[b][t];
          mask[b][start + t] = 1;
        }
      }
      float[][][] batch = model.forward(ids, mask);
      for (int b = 0; b < rows; b++) {
        float[][] alone = model.newSession().prefillAllLogits(real[b]);
        int t = 0;
        for (int col = 0; col < width; col++) {
          if (mask[b][col] == 1) {
            assertArrayEquals(alone[t++], batch[b][col], TOLERANCE, "trial " + trial + " row " + b);
          } else {
            assertEquals(0f, batch[b][col][0], "padding positions get zeros");
          }
        }
      }
    }
  }

  @Test
  void prefillInAnyPiecesEqualsOneShot() {
    for (int trial = 0; trial < 6; trial++) {
      int[] tokens = randomTokens(2 + random.nextInt(60));
      float[][] oneShot = model.newSession().prefillAllLogits(tokens);
      Session s = model.newSession();
      int at = 0;
      while (at < tokens.length) {
        int n = 1 + random.nextInt(tokens.length - at);
        float[][] part = s.prefillAllLogits(java.util.Arrays.copyOfRange(tokens, at, at + n));
        for (int i = 0; i < n; i++) {
          assertArrayEquals(oneShot[at + i], part[i], TOLERANCE, "position " + (at + i));
        }
        at += n;
      }
      assertEquals(tokens.length, s.length());
    }
  }

  @Test
  void longPromptsMatchTheForwardPass() {
    // The tiny model's context is shorter than a prefill chunk but longer than an all-logits chunk
    // (Gpt2Session.ALL_LOGITS_CHUNK): prefillAllLogits crosses chunks here, prefill does not.
    int[] longer = randomTokens(model.config().maxPositions());
    float[][] all = model.newSession().prefillAllLogits(longer);
    float[] last = model.newSession().prefill(longer);
    float[][][] forward = model.forward(new int[][] {longer}, null);
    for (int t = 0; t < longer.length; t += 17) {
      assertArrayEquals(forward[0][t], all[t], TOLERANCE, "position " + t);
    }
    assertArrayEquals(forward[0][longer.length - 1], last, TOLERANCE, "last position");
  }

  @Test
  void sessionsOnSeveralThreadsMatchSequentialDecoding() throws Exception {
    int threads = 3;
    int[][] prompts = new int[threads][];
    float[][] expected = new float[threads][];
    for (int i = 0; i < threads; i++) {
      prompts[i] = randomTokens(5 + i);
      Session s = model.newSession();
      s.prefill(prompts[i]);
      for (int step = 0; step < 9; step++) {
        expected[i] = s.decode(step + i);
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<float[]>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int index = i;
        results.add(
            pool.submit(
                () -> {
                  Session s = model.newSession();
                  s.prefill(prompts[index]);
                  float[] last = null;
                  for (int step = 0; step < 9; step++) {
                    last = s.decode(step + index);
                  }
                  return last;
                }));
      }
      for (int i = 0; i < threads; i++) {
        assertArrayEquals(expected[i], results.get(i).get(), TOLERANCE, "thread " + i);
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void sessionLimitsAndMisuseAreClearErrors() {
    Session s = model.newSession(4);
    s.prefill(new int[] {1, 2, 3});
    s.decode(4);
    assertTrue(
        assertThrows(IllegalStateException.class, () -> s.decode(5))
            .getMessage()
            .contains("capacity of 4"));
    s.reset();
    assertEquals(0, s.length());
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> s.decode(1000))
            .getMessage()
            .contains("token id 1000"));
    assertEquals(0, s.length(), "a rejected token leaves the session unchanged");
    s.close();
    assertThrows(IllegalStateException.class, () -> s.decode(1));
    assertThrows(IllegalArgumentException.class, () -> model.newSession(129));
    Session a = model.newSession();
    a.prefill(new int[] {1});
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> model.decodeBatch(List.of(a, a), new int[] {1, 2}))
            .getMessage()
            .contains("twice"));
    assertThrows(
        IllegalArgumentException.class, () -> model.forward(new int[][] {new int[129]}, null));
  }
}
