package io.lmserve.generation.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenScoresTest {

  @Test
  void logprobsAndPerplexityByHand() {
    // vocab of 2; position 0 predicts 1 with p = e^1/(e^1+e^0), position 1 predicts 0 with p = 1/2
    float[][] logits = {{0f, 1f}, {3f, 3f}, {9f, 9f}};
    TokenScores scores = TokenScores.of(new int[] {0, 1, 0}, List.of("a", "b", "a"), logits);
    double p1 = Math.E / (Math.E + 1);
    assertTrue(Float.isNaN(scores.logprobs()[0]));
    assertEquals(Math.log(p1), scores.logprobs()[1], 1e-6);
    assertEquals(Math.log(0.5), scores.logprobs()[2], 1e-6);
    assertEquals(Math.exp(-(Math.log(p1) + Math.log(0.5)) / 2), scores.perplexity(), 1e-6);
    assertEquals(Math.log(p1) + Math.log(0.5), scores.totalLogprob(), 1e-6);
  }

  @Test
  void aSingleTokenCannotBeScored() {
    assertThrows(
        IllegalArgumentException.class,
        () -> TokenScores.of(new int[] {1}, List.of("x"), new float[][] {{0f, 0f}}));
  }
}
