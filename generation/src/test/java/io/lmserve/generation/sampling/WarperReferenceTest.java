package io.lmserve.generation.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The warpers against straightforward transcriptions of HF's tensor code (sort ascending, cumsum,
 * mask) on random logits, ties and -inf entries included.
 */
class WarperReferenceTest {

  private static final float NEG = Float.NEGATIVE_INFINITY;
  private final SplittableRandom random = new SplittableRandom(77);

  private float[] randomLogits() {
    int n = random.nextInt(1, 40);
    float[] logits = new float[n];
    for (int i = 0; i < n; i++) {
      int kind = random.nextInt(10);
      // coarse values make ties common; some entries already filtered
      logits[i] = kind == 0 ? NEG : (float) (Math.round(random.nextDouble(-6, 6) * 2) / 2.0);
    }
    if (Arrays.stream(IntStream.range(0, n).toArray()).allMatch(i -> logits[i] == NEG)) {
      logits[0] = 0f;
    }
    return logits;
  }

  private static double[] softmax(float[] logits) {
    return LogSoftmax.probabilities(logits);
  }

  /** HF: threshold = topk(scores, k)[-1]; scores < threshold -> -inf. */
  private static float[] referenceTopK(float[] scores, int k) {
    float[] sorted = scores.clone();
    Arrays.sort(sorted);
    float threshold = sorted[sorted.length - Math.min(k, sorted.length)];
    float[] out = scores.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] < threshold) {
        out[i] = NEG;
      }
    }
    return out;
  }

  /** HF: ascending sort, cumsum of softmax, remove cum <= 1 - p, keep the last (largest). */
  private static float[] referenceTopP(float[] scores, double p) {
    Integer[] ascending = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
    Arrays.sort(
        ascending, Comparator.<Integer>comparingDouble(i -> scores[i]).thenComparing(i -> -i));
    double[] probs = softmax(scores);
    float[] out = scores.clone();
    double cumulative = 0;
    for (int j = 0; j < ascending.length - 1; j++) {
      cumulative += probs[ascending[j]];
      if (cumulative <= 1 - p) {
        out[ascending[j]] = NEG;
      }
    }
    return out;
  }

  /** HF: probs < min_p * max(probs) -> -inf, the top token kept. */
  private static float[] referenceMinP(float[] scores, double minP) {
    double[] probs = softmax(scores);
    double top = Arrays.stream(probs).max().orElseThrow();
    float[] out = scores.clone();
    for (int i = 0; i < out.length; i++) {
      if (probs[i] < minP * top) {
        out[i] = NEG;
      }
    }
    return out;
  }

  @Test
  void topKMatchesTheReference() {
    for (int trial = 0; trial < 5000; trial++) {
      float[] logits = randomLogits();
      int k = random.nextInt(1, logits.length + 3);
      float[] mine = logits.clone();
      TopK.apply(mine, k);
      assertArrayEquals(referenceTopK(logits, k), mine, Arrays.toString(logits) + " k=" + k);
    }
  }

  @Test
  void topPMatchesTheReferenceAwayFromTheBoundary() {
    int compared = 0;
    for (int trial = 0; trial < 5000; trial++) {
      float[] logits = randomLogits();
      double p = random.nextDouble(0.05, 1.0);
      if (nearABoundary(logits, p)) {
        continue; // float rounding decides there, as it does between HF's float32 and ours
      }
      compared++;
      float[] mine = logits.clone();
      TopP.apply(mine, p);
      // ties at the cut may be kept in either order; compare how many survive and the top ones
      float[] reference = referenceTopP(logits, p);
      assertEquals(kept(reference), kept(mine), Arrays.toString(logits) + " p=" + p);
      assertTrue(keptValues(mine).equals(keptValues(reference)), Arrays.toString(logits));
    }
    assertTrue(compared > 4000, "compared " + compared);
  }

  @Test
  void minPMatchesTheReference() {
    for (int trial = 0; trial < 5000; trial++) {
      float[] logits = randomLogits();
      double minP = random.nextDouble(0.0, 0.99);
      float[] mine = logits.clone();
      MinP.apply(mine, minP);
      float[] reference = referenceMinP(logits, minP);
      assertEquals(kept(reference), kept(mine), Arrays.toString(logits) + " min_p=" + minP);
    }
  }

  @Test
  void sampledTokensAreAlwaysAmongTheKeptOnes() {
    for (int trial = 0; trial < 2000; trial++) {
      float[] logits = randomLogits();
      SamplingParams params =
          SamplingParams.DEFAULT
              .withTemperature(random.nextDouble(0.1, 2))
              .withTopK(random.nextInt(0, 6))
              .withTopP(random.nextDouble(0.1, 1))
              .withMinP(random.nextDouble(0, 0.5))
              .withSeed((long) trial);
      Sampler sampler = new Sampler(params, logits.length, 0);
      float[] scores = logits.clone();
      sampler.process(scores);
      int id = sampler.next(logits).id();
      assertTrue(scores[id] != NEG, Arrays.toString(logits) + " -> " + id);
    }
  }

  private static boolean nearABoundary(float[] logits, double p) {
    double[] probs = softmax(logits);
    double[] sorted = Arrays.stream(probs).sorted().toArray();
    double cumulative = 0;
    for (double q : sorted) {
      cumulative += q;
      if (Math.abs(cumulative - (1 - p)) < 1e-6) {
        return true;
      }
    }
    return false;
  }

  private static int kept(float[] scores) {
    int n = 0;
    for (float v : scores) {
      n += v != NEG ? 1 : 0;
    }
    return n;
  }

  private static java.util.List<Float> keptValues(float[] scores) {
    java.util.List<Float> values = new java.util.ArrayList<>();
    for (float v : scores) {
      if (v != NEG) {
        values.add(v);
      }
    }
    values.sort(null);
    return values;
  }
}
