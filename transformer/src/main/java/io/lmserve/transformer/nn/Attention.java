package io.lmserve.transformer.nn;

/**
 * Scaled dot-product attention of one query head over a run of cached keys and values, with the
 * softmax computed online (running maximum and sum) so no score buffer is needed.
 */
public final class Attention {

  private Attention() {}

  /**
   * {@code out[outOff, outOff + d) = softmax(q·kⱼ · scale)ⱼ · vⱼ} over positions {@code j < length}
   * whose {@code keep[j]} is true ({@code keep == null}: all). Key j of this head starts at {@code
   * keys[j * stride + headOff]}, likewise values. No kept key gives zeros.
   */
  public static void attend(
      float[] q,
      int qOff,
      float[] keys,
      float[] values,
      int stride,
      int headOff,
      int length,
      boolean[] keep,
      int keepOff,
      float scale,
      int d,
      float[] out,
      int outOff,
      Kernels k) {
    java.util.Arrays.fill(out, outOff, outOff + d, 0f);
    float max = Float.NEGATIVE_INFINITY;
    float sum = 0f;
    for (int j = 0; j < length; j++) {
      if (keep != null && !keep[keepOff + j]) {
        continue;
      }
      int kvOff = j * stride + headOff;
      float s = k.dot(q, qOff, keys, kvOff, d) * scale;
      if (s > max) {
        float rescale = max == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(max - s);
        sum = sum * rescale + 1f;
        k.scaleAdd(rescale, out, outOff, 1f, values, kvOff, d);
        max = s;
      } else {
        float p = (float) Math.exp(s - max);
        sum += p;
        k.scaleAdd(1f, out, outOff, p, values, kvOff, d);
      }
    }
    if (sum > 0f) {
      float inv = 1f / sum;
      for (int i = 0; i < d; i++) {
        out[outOff + i] *= inv;
      }
    }
  }
}
