package io.lmserve.transformer.nn;

import io.lmserve.transformer.safetensors.DType;
import io.lmserve.transformer.safetensors.Tensor;

/**
 * {@code y = x·Wᵀ + b} for many input rows with W read as stored {@code [out, in]} (nn.Linear:
 * BERT, LM heads, in F16 or BF16; F32 weights are in {@link PanelMatrix} panels), input rows in the
 * vector lanes. The rows are transposed once per product into panels of up to {@link
 * Microkernel#WIDTH} rows ({@code panel[i·width + j] = x[r0 + j, i]}, zero past the last row),
 * shared read-only by every thread; each thread widens eight stored rows at a time into a float
 * buffer (read sequentially, never transposed) and runs the 8-row {@link Microkernel} over the
 * panels, so no horizontal sums are needed. The 8 × width block of outputs is transposed on its way
 * into y. Panels are visited in groups that stay in L2 while every tile of the thread's range
 * passes over them.
 */
final class RowPanelMatmul {

  private static final int L = Microkernel.L;
  private static final int WIDTH = Microkernel.WIDTH;
  private static final int ROWS = Microkernel.ROWS;

  /** Input rows from which this product beats per-output dot tiles. */
  static final int MIN_ROWS = 2 * L;

  /**
   * Bytes of panels one group keeps in L2 while the weight tiles pass over them: each stored row is
   * read from memory once per group, so groups are as large as L2 allows.
   */
  private static final int GROUP_BYTES = 1024 * 1024;

  /** Per thread: the stored rows of the current tile as floats, the next tile's, the outputs. */
  private record Scratch(float[] weights, float[] spare, float[] tile, int[] rows) {}

  private static final ThreadLocal<Scratch> SCRATCH = new ThreadLocal<>();
  private static final ThreadLocal<float[]> PANELS = ThreadLocal.withInitial(() -> new float[0]);

  private RowPanelMatmul() {}

  /** {@code x} ({@code n} rows of {@code in}) transposed into panels, rows padded to lanes. */
  record Panels(float[] data, int n, int in, int padded) {

    int count() {
      return (padded + WIDTH - 1) / WIDTH;
    }

    int width(int p) {
      return Math.min(WIDTH, padded - p * WIDTH);
    }

    int base(int p) {
      return p * WIDTH * in;
    }
  }

  /**
   * Transposes {@code x} into panels on the pool. The buffer is the calling thread's own, reused by
   * its next product; workers only read it while this thread waits for them.
   */
  static Panels transpose(float[] x, int n, int in, WorkerPool pool) {
    int padded = (n + L - 1) / L * L;
    float[] data = PANELS.get();
    if (data.length < padded * in) {
      data = new float[padded * in];
      PANELS.set(data);
    }
    Panels p = new Panels(data, n, in, padded);
    pool.parallelFor(
        p.count(),
        1,
        (from, to) -> {
          for (int q = from; q < to; q++) {
            transposePanel(x, p, q);
          }
        });
    return p;
  }

  private static void transposePanel(float[] x, Panels p, int q) {
    int width = p.width(q);
    int base = p.base(q);
    int in = p.in();
    for (int j = 0; j < width; j++) {
      int r = q * WIDTH + j;
      if (r < p.n()) {
        for (int i = 0, src = r * in, dst = base + j; i < in; i++, src++, dst += width) {
          p.data()[dst] = x[src];
        }
      } else {
        for (int i = 0, dst = base + j; i < in; i++, dst += width) {
          p.data()[dst] = 0f;
        }
      }
    }
  }

  /**
   * {@code y[r·out + o] = bias[o] + Σ_i x[r, i] · w[o, i]} for every row and outputs {@code [from,
   * to)}; {@code bias} may be null.
   */
  static void multiply(WeightMatrix w, float[] bias, Panels x, float[] y, int from, int to) {
    int in = w.cols();
    int out = w.rows();
    Scratch s = scratch(in);
    int perGroup = Math.max(1, GROUP_BYTES / (WIDTH * in * Float.BYTES));
    for (int g0 = 0; g0 < x.count(); g0 += perGroup) {
      int g1 = Math.min(x.count(), g0 + perGroup);
      float[] weights = s.weights;
      float[] spare = s.spare;
      widen(w, from, Math.min(ROWS, to - from), weights, s.rows);
      for (int o = from; o < to; o += ROWS) {
        int count = Math.min(ROWS, to - o);
        int next = o + ROWS;
        int nextCount = Math.min(ROWS, to - next);
        // The full panels' passes bring in the next tile's rows (F32, full tiles), a share each.
        int full = g1 - g0 - (x.width(g1 - 1) == WIDTH ? 0 : 1);
        boolean fetch = nextCount == ROWS && w.dtype() == DType.F32 && full > 0;
        int share = fetch ? (ROWS * in / full + L - 1) / L * L : 0;
        for (int q = g0; q < g1; q++) {
          int width = x.width(q);
          if (fetch && q - g0 < full) {
            int f0 = Math.min(ROWS * in, (q - g0) * share);
            int f1 = q - g0 == full - 1 ? ROWS * in : Math.min(ROWS * in, f0 + share);
            Microkernel.multiplyFetching(
                x.data(),
                x.base(q),
                width,
                weights,
                s.rows,
                in,
                s.tile,
                w.data(),
                w.offset(next, 0),
                spare,
                f0,
                f1);
          } else {
            Microkernel.multiply(
                width / L, x.data(), x.base(q), width, weights, s.rows, in, s.tile);
          }
          int r0 = q * WIDTH;
          int rows = Math.min(width, x.n() - r0);
          for (int j = 0; j < rows; j++) {
            int yo = (r0 + j) * out + o;
            for (int m = 0; m < count; m++) {
              y[yo + m] = s.tile[m * WIDTH + j] + (bias == null ? 0f : bias[o + m]);
            }
          }
        }
        if (fetch) {
          float[] t = weights;
          weights = spare;
          spare = t;
        } else if (nextCount > 0) {
          widen(w, next, nextCount, weights, s.rows);
        }
      }
    }
  }

  private static Scratch scratch(int in) {
    Scratch s = SCRATCH.get();
    if (s == null || s.weights.length < ROWS * in) {
      s =
          new Scratch(
              new float[ROWS * in], new float[ROWS * in], new float[ROWS * WIDTH], new int[ROWS]);
      SCRATCH.set(s);
    }
    return s;
  }

  /**
   * Stored rows {@code [o, o + count)} as floats into {@code dst}, row m at {@code m·in}, and their
   * offsets into {@code rows}; a short tile repeats its last row.
   */
  private static void widen(WeightMatrix w, int o, int count, float[] dst, int[] rows) {
    int in = w.cols();
    boolean vectors = w.dtype() == DType.F32 || VectorKernels.halfVectors();
    int upper = vectors ? (in / L) * L : 0;
    long size = w.dtype().byteSize();
    for (int m = 0; m < count; m++) {
      long off = w.offset(o + m, 0);
      int row = m * in;
      for (int i = 0; i < upper; i += L) {
        VectorKernels.load(w.data(), w.dtype(), off + i * size).intoArray(dst, row + i);
      }
      long elem = off / size;
      for (int i = upper; i < in; i++) {
        dst[row + i] = Tensor.readFloat(w.data(), w.dtype(), elem + i);
      }
      rows[m] = row;
    }
    for (int m = count; m < ROWS; m++) {
      rows[m] = (count - 1) * in;
    }
  }
}
