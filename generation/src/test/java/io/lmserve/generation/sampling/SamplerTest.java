package io.lmserve.generation.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SamplerTest {

  private static final float NEG = Float.NEGATIVE_INFINITY;

  /** Logits whose softmax is exactly the given probabilities. */
  private static float[] logitsOf(double... probs) {
    float[] logits = new float[probs.length];
    for (int i = 0; i < probs.length; i++) {
      logits[i] = (float) Math.log(probs[i]);
    }
    return logits;
  }

  private static boolean[] kept(float[] scores) {
    boolean[] kept = new boolean[scores.length];
    for (int i = 0; i < scores.length; i++) {
      kept[i] = scores[i] != NEG;
    }
    return kept;
  }

  @Test
  void repetitionPenaltyDividesPositiveAndMultipliesNegativeSeenLogits() {
    TokenHistory history = new TokenHistory(5);
    history.addPrompt(new int[] {0, 1, 0});
    history.addOutput(4);
    float[] logits = {2f, -2f, 1f, 0f, 3f};
    RepetitionPenalty.apply(logits, history, 2f);
    assertArrayEquals(new float[] {1f, -4f, 1f, 0f, 1.5f}, logits);
  }

  @Test
  void presenceAndFrequencyPenaltiesCountOnlyTheOutput() {
    TokenHistory history = new TokenHistory(4);
    history.addPrompt(new int[] {3});
    history.addOutput(0);
    history.addOutput(0);
    history.addOutput(2);
    float[] logits = {2f, 2f, 1f, 1f};
    OccurrencePenalty.apply(logits, history, 0.5f, 0.25f);
    assertArrayEquals(new float[] {1f, 2f, 0.25f, 1f}, logits);
  }

  @Test
  void temperatureDividesLogits() {
    float[] logits = {2f, 4f, -1f};
    Temperature.apply(logits, 2f);
    assertArrayEquals(new float[] {1f, 2f, -0.5f}, logits);
  }

  @Test
  void topKKeepsTheKHighestAndEveryTieOfTheKth() {
    float[] logits = {1f, 3f, 2f, 3f};
    TopK.apply(logits, 2);
    assertArrayEquals(new boolean[] {false, true, false, true}, kept(logits));

    float[] tied = {1f, 2f, 2f, 3f};
    TopK.apply(tied, 2);
    assertArrayEquals(new boolean[] {false, true, true, true}, kept(tied));

    float[] all = {1f, 2f};
    TopK.apply(all, 5);
    assertArrayEquals(new boolean[] {true, true}, kept(all));
  }

  @Test
  void topPKeepsTheSmallestHeadReachingPAndAlwaysTheTopToken() {
    // probabilities 0.5, 0.3, 0.15, 0.05: ascending tail masses 0.05, 0.2, 0.5, 1.0
    float[] a = logitsOf(0.15, 0.5, 0.05, 0.3);
    TopP.apply(a, 0.75); // removes tails with mass <= 0.25: 0.05 and 0.15
    assertArrayEquals(new boolean[] {false, true, false, true}, kept(a));

    float[] b = logitsOf(0.15, 0.5, 0.05, 0.3);
    TopP.apply(b, 0.85); // removes tails <= 0.15: 0.05 only
    assertArrayEquals(new boolean[] {true, true, false, true}, kept(b));

    float[] c = logitsOf(0.15, 0.5, 0.05, 0.3);
    TopP.apply(c, 0.01);
    assertArrayEquals(new boolean[] {false, true, false, false}, kept(c));
  }

  @Test
  void minPDropsTokensBelowAFractionOfTheTopProbability() {
    float[] a = logitsOf(0.5, 0.3, 0.15, 0.05);
    MinP.apply(a, 0.2); // threshold 0.1
    assertArrayEquals(new boolean[] {true, true, true, false}, kept(a));

    float[] b = logitsOf(0.5, 0.3, 0.15, 0.05);
    MinP.apply(b, 0.7); // threshold 0.35
    assertArrayEquals(new boolean[] {true, false, false, false}, kept(b));
  }

  @Test
  void warpersRunInHfOrderTemperatureBeforeTopP() {
    // temperature 0.5 squares the odds: 0.6/0.3/0.1 -> 0.36/0.09/0.01 (normalised 0.783/0.196/
    // 0.022). top_p 0.75 then keeps only the first; applied before temperature it would keep two.
    SamplingParams params = new SamplingParams(0.5, 0, 0.75, 0, 1, 0, 0, 1L);
    Sampler sampler = new Sampler(params, 3, 0);
    float[] scores = logitsOf(0.6, 0.3, 0.1);
    sampler.process(scores);
    assertArrayEquals(new boolean[] {true, false, false}, kept(scores));
  }

  @Test
  void penaltiesApplyBeforeTemperature() {
    // (2 - presence 1) / 0.5 = 2 ties 1 / 0.5 = 2; temperature first would give 4 - 1 = 3 vs 2
    Sampler sampler =
        new Sampler(
            SamplingParams.DEFAULT.withTemperature(0.5).withPresencePenalty(1).withSeed(1L), 2, 0);
    sampler.next(new float[] {9f, 0f}); // token 0 is now in the output
    float[] scores = {2f, 1f};
    sampler.process(scores);
    assertArrayEquals(new float[] {2f, 2f}, scores);
  }

  @Test
  void greedyIsTheFirstArgmaxAfterPenalties() {
    Sampler sampler = new Sampler(SamplingParams.GREEDY.withRepetitionPenalty(2), 4, 0);
    sampler.prompt(new int[] {1});
    // token 1 is highest (4) but seen: 4/2 = 2 ties with token 2; the first wins
    assertEquals(1, sampler.next(new float[] {0f, 4f, 2f, 1f}).id());
    // now token 1 seen again (still /2), token 2 unseen at 3 wins
    assertEquals(2, sampler.next(new float[] {0f, 4f, 3f, 1f}).id());
  }

  @Test
  void logprobsComeFromTheRawDistributionWithTopAlternatives() {
    Sampler sampler = new Sampler(SamplingParams.GREEDY.withRepetitionPenalty(3), 4, 2);
    sampler.prompt(new int[] {0});
    TokenChoice choice = sampler.next(logitsOf(0.5, 0.3, 0.15, 0.05));
    assertEquals(1, choice.id());
    assertEquals(Math.log(0.3), choice.logprob(), 1e-6);
    assertEquals(
        List.of(0, 1), choice.top().stream().map(TokenLogprob::id).toList(), "most likely first");
    assertEquals(Math.log(0.5), choice.top().get(0).logprob(), 1e-6);
  }

  @Test
  void sameSeedGivesSameTokensAndAnotherSeedDiffers() {
    float[] logits = logitsOf(0.2, 0.2, 0.2, 0.2, 0.2);
    int[] a = draws(new Sampler(SamplingParams.DEFAULT.withSeed(7L), 5, 0), logits, 64);
    int[] b = draws(new Sampler(SamplingParams.DEFAULT.withSeed(7L), 5, 0), logits, 64);
    int[] c = draws(new Sampler(SamplingParams.DEFAULT.withSeed(8L), 5, 0), logits, 64);
    assertArrayEquals(a, b);
    assertTrue(!java.util.Arrays.equals(a, c));
  }

  @Test
  void sampledFrequenciesFollowTheDistribution() {
    double[] probs = {0.4, 0.3, 0.2, 0.1};
    int[] counts = histogram(new Sampler(SamplingParams.DEFAULT.withSeed(42L), 4, 0), probs);
    // chi-square with 3 degrees of freedom; 16.27 is the 0.1% critical value
    assertTrue(chiSquare(counts, probs) < 16.27, () -> java.util.Arrays.toString(counts));
  }

  @Test
  void sampledFrequenciesAfterTopKFollowTheRenormalisedHead() {
    double[] probs = {0.4, 0.3, 0.2, 0.1};
    int[] counts =
        histogram(new Sampler(SamplingParams.DEFAULT.withTopK(2).withSeed(3L), 4, 0), probs);
    assertEquals(0, counts[2] + counts[3]);
    assertTrue(
        chiSquare(new int[] {counts[0], counts[1]}, new double[] {4.0 / 7, 3.0 / 7}) < 10.83,
        () -> java.util.Arrays.toString(counts));
  }

  @Test
  void temperatureSharpensSampledFrequencies() {
    double[] probs = {0.6, 0.3, 0.1};
    int[] counts =
        histogram(
            new Sampler(SamplingParams.DEFAULT.withTemperature(0.5).withSeed(5L), 3, 0), probs);
    double z = 0.36 + 0.09 + 0.01;
    assertTrue(
        chiSquare(counts, new double[] {0.36 / z, 0.09 / z, 0.01 / z}) < 13.82,
        () -> java.util.Arrays.toString(counts));
  }

  @Test
  void sampledFrequenciesAfterTemperatureTopPAndMinPTogether() {
    // temperature 0.5 squares: 0.4,0.3,0.2,0.06,0.04 -> 0.16,0.09,0.04,0.0036,0.0016 (sum 0.2952);
    // normalised 0.542,0.305,0.136,0.0122,0.0054. top_p 0.95 drops the last two (tail 0.0176 <=
    // 0.05, with 0.136 it would be 0.153); min_p 0.3 then drops 0.136 < 0.3 * 0.542
    double[] probs = {0.4, 0.3, 0.2, 0.06, 0.04};
    SamplingParams params =
        SamplingParams.DEFAULT.withTemperature(0.5).withTopP(0.95).withMinP(0.3).withSeed(9L);
    int[] counts = histogram(new Sampler(params, 5, 0), probs);
    assertEquals(0, counts[2] + counts[3] + counts[4], () -> java.util.Arrays.toString(counts));
    assertTrue(
        chiSquare(new int[] {counts[0], counts[1]}, new double[] {0.16 / 0.25, 0.09 / 0.25})
            < 10.83,
        () -> java.util.Arrays.toString(counts));
  }

  private static int[] draws(Sampler sampler, float[] logits, int n) {
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = sampler.next(logits).id();
    }
    return ids;
  }

  private static int[] histogram(Sampler sampler, double[] probs) {
    int[] counts = new int[probs.length];
    for (int id : draws(sampler, logitsOf(probs), 20_000)) {
      counts[id]++;
    }
    return counts;
  }

  private static double chiSquare(int[] counts, double[] probs) {
    int n = java.util.Arrays.stream(counts).sum();
    double chi = 0;
    for (int i = 0; i < counts.length; i++) {
      double expected = n * probs[i];
      chi += (counts[i] - expected) * (counts[i] - expected) / expected;
    }
    return chi;
  }
}
