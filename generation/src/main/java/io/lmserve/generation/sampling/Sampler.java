package io.lmserve.generation.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Chooses each next token of one sequence: penalties, temperature, top-k, top-p, min-p in HF's
 * order, then argmax (temperature 0) or a draw from the remaining distribution with the request's
 * own seeded generator, so the same seed and logits give the same tokens. Per request, not
 * thread-safe.
 */
public final class Sampler {

  private final SamplingParams params;
  private final int topLogprobs;
  private final SplittableRandom random;
  private final TokenHistory history; // null without penalties

  /**
   * @param vocabSize the length of every logits array this sampler will see
   * @param topLogprobs how many alternatives each choice reports (0 for none)
   */
  public Sampler(SamplingParams params, int vocabSize, int topLogprobs) {
    this.params = params;
    this.topLogprobs = topLogprobs;
    long seed = params.seed() != null ? params.seed() : ThreadLocalRandom.current().nextLong();
    this.random = new SplittableRandom(seed);
    boolean penalised =
        params.repetitionPenalty() != 1
            || params.presencePenalty() != 0
            || params.frequencyPenalty() != 0;
    // vocabulary-sized counters only for requests that use them
    this.history = penalised ? new TokenHistory(vocabSize) : null;
  }

  /** Registers the prompt, which the repetition penalty counts as seen. */
  public void prompt(int[] ids) {
    if (history != null) {
      history.addPrompt(ids);
    }
  }

  /** Picks the next token from {@code logits} (not modified) and records it in the history. */
  public TokenChoice next(float[] logits) {
    float[] scores = logits.clone();
    process(scores);
    int id = params.greedy() ? argmax(scores) : draw(scores);
    if (history != null) {
      history.addOutput(id);
    }
    double logZ = LogSoftmax.logSumExp(logits);
    return new TokenChoice(id, (float) (logits[id] - logZ), alternatives(logits, logZ));
  }

  /** Applies the penalties and, unless greedy, the warpers to {@code scores} in place. */
  void process(float[] scores) {
    if (history != null) {
      RepetitionPenalty.apply(scores, history, (float) params.repetitionPenalty());
      OccurrencePenalty.apply(
          scores, history, (float) params.presencePenalty(), (float) params.frequencyPenalty());
    }
    if (params.greedy()) {
      return;
    }
    Temperature.apply(scores, (float) params.temperature());
    TopK.apply(scores, params.topK());
    TopP.apply(scores, params.topP());
    MinP.apply(scores, params.minP());
  }

  private List<TokenLogprob> alternatives(float[] logits, double logZ) {
    if (topLogprobs == 0) {
      return List.of();
    }
    List<TokenLogprob> top = new ArrayList<>(topLogprobs);
    for (int id : LogitOrder.top(logits, topLogprobs)) {
      top.add(new TokenLogprob(id, (float) (logits[id] - logZ)));
    }
    return top;
  }

  /** First index of the highest score (ties go to the lower id), like torch.argmax. */
  public static int argmax(float[] scores) {
    int best = 0;
    for (int i = 1; i < scores.length; i++) {
      if (scores[i] > scores[best]) {
        best = i;
      }
    }
    return best;
  }

  private int draw(float[] scores) {
    double[] probs = LogSoftmax.probabilities(scores);
    double total = 0;
    for (double p : probs) {
      total += p;
    }
    double u = random.nextDouble() * total;
    int last = -1;
    for (int i = 0; i < probs.length; i++) {
      if (probs[i] > 0) {
        last = i;
        u -= probs[i];
        if (u < 0) {
          return i;
        }
      }
    }
    return last >= 0 ? last : argmax(scores);
  }
}
