package io.lmserve.generation.sampling;

/**
 * HF's TopKLogitsWarper: everything strictly below the k-th highest logit becomes -inf, so tokens
 * tied with the k-th all stay.
 */
final class TopK {

  private TopK() {}

  static void apply(float[] logits, int k) {
    if (k <= 0 || k >= logits.length) {
      return;
    }
    int[] top = LogitOrder.top(logits, k);
    float threshold = logits[top[top.length - 1]];
    for (int i = 0; i < logits.length; i++) {
      if (logits[i] < threshold) {
        logits[i] = Float.NEGATIVE_INFINITY;
      }
    }
  }
}
