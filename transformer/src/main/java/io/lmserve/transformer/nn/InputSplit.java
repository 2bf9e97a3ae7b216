package io.lmserve.transformer.nn;

/**
 * A decode-sized product with {@code [in, out]} weights read as stored (GPT-2's Conv1D in F16 or
 * BF16; F32 weights are in {@link PanelMatrix} panels), split across threads by input rows rather
 * than by outputs: each share is one contiguous band of the stored matrix, which a thread streams
 * front to back into its own partial sums, and the partial sums are added at the end. Split by
 * outputs instead, every thread reads a short run of every stored row (768 bytes of each 3 KB row
 * for GPT-2's projections), which the hardware prefetchers follow far less well.
 *
 * <p>The band of a share depends only on the pool's size, so a given pool computes the same sums
 * whichever thread runs which share.
 */
final class InputSplit {

  /** Rows of x up to which a product takes this path (one decode row per sequence of a batch). */
  static final int MAX_ROWS = 8;

  /**
   * Shares per thread: one contiguous band each, the longest stream a thread can have and the
   * fewest partial outputs to add up. Two per thread (so a worker that wakes late still finds work)
   * ran decode 1.14x slower at batch 1 and 1.11x at batch 8 (medians of 6 interleaved rounds in one
   * JVM, every round faster with one).
   */
  private static final int SHARES_PER_THREAD = 1;

  /** Fewest stored rows in a share: below this, splitting costs more than it saves. */
  private static final int MIN_BAND = 64;

  /** Each calling thread's partial sums, kept at the largest size seen. */
  private static final ThreadLocal<float[]> PARTIALS = new ThreadLocal<>();

  private InputSplit() {}

  /** {@code y[r, :] = bias + Σ_i x[r, i] · w[i, :]} for rows {@code r < n}. */
  static void forward(
      WeightMatrix w, float[] bias, float[] x, int n, float[] y, Kernels k, WorkerPool pool) {
    int in = w.rows();
    int out = w.cols();
    int shares = Math.max(1, Math.min(pool.parallelism() * SHARES_PER_THREAD, in / MIN_BAND));
    int size = n * out;
    float[] partials = PARTIALS.get();
    if (partials == null || partials.length < shares * size) {
      partials = new float[shares * size];
      PARTIALS.set(partials);
    }
    float[] p = partials;
    pool.parallelFor(
        shares,
        1,
        (from, to) -> {
          for (int s = from; s < to; s++) {
            java.util.Arrays.fill(p, s * size, (s + 1) * size, 0f);
            k.accumulateInOut(w, x, n, band(s, shares, in), band(s + 1, shares, in), p, s * size);
          }
        });
    Linear.startWithBias(bias, n, out, y, 0, out);
    for (int s = 0; s < shares; s++) {
      int base = s * size;
      for (int i = 0; i < size; i++) {
        y[i] += p[base + i];
      }
    }
  }

  /** First stored row of share {@code s}: shares are as even as multiples of four allow. */
  private static int band(int s, int shares, int in) {
    return s == shares ? in : (int) ((long) in * s / shares) & ~3;
  }
}
