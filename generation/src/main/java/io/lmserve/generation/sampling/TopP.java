package io.lmserve.generation.sampling;

/**
 * HF's TopPLogitsWarper: walking from the least likely token up, a token is removed while the mass
 * of it and everything less likely is at most {@code 1 - p}; the most likely token always stays.
 */
final class TopP {

  private TopP() {}

  static void apply(float[] logits, double p) {
    if (p >= 1) {
      return;
    }
    int[] order = LogitOrder.descending(logits);
    double logZ = LogSoftmax.logSumExp(logits);
    double massFromHere = 0;
    double[] tailMass = new double[order.length];
    for (int i = order.length - 1; i >= 0; i--) {
      massFromHere += Math.exp(logits[order[i]] - logZ);
      tailMass[i] = massFromHere;
    }
    for (int i = order.length - 1; i >= 1 && tailMass[i] <= 1 - p; i--) {
      logits[order[i]] = Float.NEGATIVE_INFINITY;
    }
  }
}
