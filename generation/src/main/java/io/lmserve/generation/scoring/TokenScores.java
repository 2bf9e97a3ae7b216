package io.lmserve.generation.scoring;

import java.util.List;

/**
 * How likely a causal model finds a token sequence.
 *
 * @param ids the scored ids (a prepended BOS included when one was asked for)
 * @param tokens the token strings of {@code ids}
 * @param logprobs {@code logprobs[i]} is log P(ids[i] | ids[0..i)); {@code NaN} at 0, which has no
 *     context
 * @param perplexity exp of minus the mean of logprobs[1..]
 */
public record TokenScores(int[] ids, List<String> tokens, float[] logprobs, double perplexity) {

  public TokenScores {
    ids = ids.clone();
    tokens = List.copyOf(tokens);
    logprobs = logprobs.clone();
  }

  /** Sum of the log-probabilities of every token after the first. */
  public double totalLogprob() {
    double sum = 0;
    for (int i = 1; i < logprobs.length; i++) {
      sum += logprobs[i];
    }
    return sum;
  }

  /** From the model's logits at every position ({@code logits[i]} predicts {@code ids[i + 1]}). */
  public static TokenScores of(int[] ids, List<String> tokens, float[][] logits) {
    if (ids.length < 2) {
      throw new IllegalArgumentException("scoring needs at least two tokens, got " + ids.length);
    }
    float[] logprobs = new float[ids.length];
    logprobs[0] = Float.NaN;
    double sum = 0;
    for (int i = 1; i < ids.length; i++) {
      float[] row = logits[i - 1];
      logprobs[i] =
          (float) (row[ids[i]] - io.lmserve.generation.sampling.LogSoftmax.logSumExp(row));
      sum += logprobs[i];
    }
    return new TokenScores(ids, tokens, logprobs, Math.exp(-sum / (ids.length - 1)));
  }
}
