package io.lmserve.cli;

import io.lmserve.generation.sampling.LogSoftmax;
import io.lmserve.transformer.CausalLm;
import io.lmserve.transformer.MaskedLm;
import io.lmserve.transformer.Session;

/**
 * A model's loss on a held-out token set, computed by lmserve's engine: mean cross-entropy in nats
 * over the predicted tokens, and how often the most likely token was the right one.
 *
 * @param loss mean negative log-probability of the right tokens
 * @param predictions how many tokens were predicted
 * @param correct how many of them were the argmax of the model's distribution
 */
record HeldOutEvaluation(double loss, long predictions, long correct) {

  double perplexity() {
    return Math.exp(loss);
  }

  double top1() {
    return (double) correct / predictions;
  }

  /** Causal LM: every window predicts each of its tokens after the first from the ones before. */
  static HeldOutEvaluation causal(CausalLm model, int[][] windows) {
    Totals totals = new Totals();
    for (int[] window : windows) {
      try (Session session = model.newSession(window.length)) {
        float[][] logits = session.prefillAllLogits(window);
        for (int t = 1; t < window.length; t++) {
          totals.add(logits[t - 1], window[t]);
        }
      }
    }
    return totals.result();
  }

  /**
   * Masked LM: {@code inputs[i]} already holds the mask token at {@code positions[i]}; {@code
   * labels[i][j]} is the original token at {@code positions[i][j]}.
   */
  static HeldOutEvaluation masked(
      MaskedLm model, int[][] inputs, int[][] positions, int[][] labels) {
    Totals totals = new Totals();
    for (int i = 0; i < inputs.length; i++) {
      // one row at a time: a batch's logits are rows × length × vocab floats
      float[][] logits = model.mlmLogits(new int[][] {inputs[i]}, null, null)[0];
      for (int j = 0; j < positions[i].length; j++) {
        totals.add(logits[positions[i][j]], labels[i][j]);
      }
    }
    return totals.result();
  }

  private static final class Totals {
    private double negativeLogprob;
    private long predictions;
    private long correct;

    void add(float[] logits, int label) {
      negativeLogprob += LogSoftmax.logSumExp(logits) - logits[label];
      predictions++;
      if (argmax(logits) == label) {
        correct++;
      }
    }

    HeldOutEvaluation result() {
      if (predictions == 0) {
        throw new IllegalArgumentException("the held-out set predicts no tokens");
      }
      return new HeldOutEvaluation(negativeLogprob / predictions, predictions, correct);
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
}
