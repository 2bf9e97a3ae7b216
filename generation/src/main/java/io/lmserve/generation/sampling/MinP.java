package io.lmserve.generation.sampling;

/**
 * HF's MinPLogitsWarper: a token whose probability is below {@code minP} times the top token's is
 * removed. In logit space that is {@code logit < maxLogit + ln(minP)}; the top token always stays.
 */
final class MinP {

  private MinP() {}

  static void apply(float[] logits, double minP) {
    if (minP <= 0) {
      return;
    }
    float max = Float.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v);
    }
    double threshold = max + Math.log(minP);
    for (int i = 0; i < logits.length; i++) {
      if (logits[i] < threshold) {
        logits[i] = Float.NEGATIVE_INFINITY;
      }
    }
  }
}
