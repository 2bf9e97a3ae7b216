package io.lmserve.generation.sampling;

import java.util.Arrays;

/** Orders token ids by logit, highest first, ties by lower id first; -inf entries are left out. */
final class LogitOrder {

  private LogitOrder() {}

  /** Ids of the finite logits, highest logit first (ties: lower id first). */
  static int[] descending(float[] logits) {
    long[] keys = new long[logits.length];
    int n = 0;
    for (int id = 0; id < logits.length; id++) {
      if (logits[id] != Float.NEGATIVE_INFINITY) {
        keys[n++] = ((long) ~sortableBits(logits[id]) << 32) | id;
      }
    }
    Arrays.sort(keys, 0, n);
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = (int) keys[i];
    }
    return ids;
  }

  /**
   * The k highest ids in the same order as {@link #descending}, without sorting the whole array.
   */
  static int[] top(float[] logits, int k) {
    int[] best = new int[Math.min(k, logits.length)];
    int n = 0;
    for (int id = 0; id < logits.length; id++) {
      float v = logits[id];
      if (n == best.length && !(v > logits[best[n - 1]])) {
        continue;
      }
      int at = n == best.length ? n - 1 : n++;
      while (at > 0 && v > logits[best[at - 1]]) {
        best[at] = best[at - 1];
        at--;
      }
      best[at] = id;
    }
    return n == best.length ? best : Arrays.copyOf(best, n);
  }

  /** Maps a float to an int whose signed order is the float's numeric order. */
  private static int sortableBits(float value) {
    int bits = Float.floatToIntBits(value);
    return bits ^ ((bits >> 31) & 0x7fffffff);
  }
}
