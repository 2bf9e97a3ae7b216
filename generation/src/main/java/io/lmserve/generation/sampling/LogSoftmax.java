package io.lmserve.generation.sampling;

/** Log-probabilities from logits, in double for the sums so long tails do not lose mass. */
public final class LogSoftmax {

  private LogSoftmax() {}

  /** log(sum(exp(logits))), the normaliser: logprob(id) = logits[id] - logSumExp. */
  public static double logSumExp(float[] logits) {
    float max = Float.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v);
    }
    if (max == Float.NEGATIVE_INFINITY) {
      return max;
    }
    double sum = 0;
    for (float v : logits) {
      sum += Math.exp(v - max);
    }
    return max + Math.log(sum);
  }

  /** Probabilities of every token (0 for -inf logits). */
  public static double[] probabilities(float[] logits) {
    double logZ = logSumExp(logits);
    double[] probs = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      probs[i] = Math.exp(logits[i] - logZ);
    }
    return probs;
  }
}
