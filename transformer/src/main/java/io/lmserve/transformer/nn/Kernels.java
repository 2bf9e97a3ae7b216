package io.lmserve.transformer.nn;

import io.lmserve.transformer.safetensors.Tensor;

/**
 * The inner loops every layer is made of. Two implementations compute the same sums: {@link
 * VectorKernels} (SIMD through the Vector API, the default) and {@link ScalarKernels} (plain loops,
 * the reference the vector one is tested against). {@code -Dlmserve.kernels=scalar} picks the
 * scalar one for a whole process.
 */
public interface Kernels {

  /** {@code Σ_c w[row, c] · x[xOff + c]} over the whole row. */
  float dot(WeightMatrix w, int row, float[] x, int xOff);

  /** {@code y[yOff + c - from] += a · w[row, c]} for {@code c} in {@code [from, to)}. */
  void axpy(WeightMatrix w, int row, int from, int to, float a, float[] y, int yOff);

  /** {@code Σ_i a[aOff + i] · b[bOff + i]}, {@code i < n}. */
  float dot(float[] a, int aOff, float[] b, int bOff, int n);

  /** {@code y[yOff + i] = y[yOff + i] · scale + a · x[xOff + i]}, {@code i < n}. */
  void scaleAdd(float scale, float[] y, int yOff, float a, float[] x, int xOff, int n);

  /**
   * {@code y[r·out + o] = bias[o] + Σ_i x[r·in + i] · w[o, i]} for rows {@code r < n} and outputs
   * {@code o} in {@code [from, to)}, with {@code w} stored {@code [out, in]} ({@code bias} may be
   * null). This default runs one dot product per output; vector kernels tile it.
   */
  default void linearOutIn(
      WeightMatrix w, float[] bias, float[] x, int n, float[] y, int from, int to) {
    int in = w.cols();
    int out = w.rows();
    for (int o = from; o < to; o++) {
      float b = bias == null ? 0f : bias[o];
      for (int r = 0; r < n; r++) {
        y[r * out + o] = dot(w, o, x, r * in) + b;
      }
    }
  }

  /**
   * The whole {@link #linearOutIn} product on the pool, in chunks of at least {@code grain}
   * outputs. This default hands each chunk to {@link #linearOutIn}; vector kernels first lay the
   * rows out once for all chunks when there are many.
   */
  default void linearOutIn(
      WeightMatrix w, float[] bias, float[] x, int n, float[] y, WorkerPool pool, int grain) {
    pool.parallelFor(w.rows(), grain, (from, to) -> linearOutIn(w, bias, x, n, y, from, to));
  }

  /**
   * The product with {@code w} in column panels: {@code y[r·out + c] = bias[c] + Σ_i x[r·in + i] ·
   * w[i, c]} for rows {@code r < n} and the columns of panels {@code [p0, p1)}. Each output is one
   * fused multiply-add chain over {@code i} in order from zero, the bias added last, so every
   * implementation and tile gives the same bits. This default runs that chain per output.
   */
  default void linearPanels(
      PanelMatrix w, float[] bias, float[] x, int n, float[] y, int p0, int p1) {
    int in = w.in();
    int out = w.out();
    float[] column = new float[in];
    for (int c = p0 * PanelMatrix.WIDTH; c < Math.min(out, p1 * PanelMatrix.WIDTH); c++) {
      w.readColumn(c, column, 0);
      for (int r = 0; r < n; r++) {
        float sum = 0f;
        for (int i = 0; i < in; i++) {
          sum = Math.fma(x[r * in + i], column[i], sum);
        }
        y[r * out + c] = bias == null ? sum : bias[c] + sum;
      }
    }
  }

  /**
   * The same product with {@code w} stored {@code [in, out]}: {@code y[r·out + o] = bias[o] + Σ_i
   * x[r·in + i] · w[i, o]}. This default scales one stored row into the outputs at a time.
   */
  default void linearInOut(
      WeightMatrix w, float[] bias, float[] x, int n, float[] y, int from, int to) {
    int in = w.rows();
    int out = w.cols();
    Linear.startWithBias(bias, n, out, y, from, to);
    for (int i = 0; i < in; i++) {
      for (int r = 0; r < n; r++) {
        axpy(w, i, from, to, x[r * in + i], y, r * out + from);
      }
    }
  }

  /**
   * {@code y[yOff + r·out + o] += Σ_{i ∈ [i0, i1)} x[r·in + i] · w[i, o]} for rows {@code r < n}
   * and every output {@code o}, with {@code w} stored {@code [in, out]}: one contiguous band of
   * stored rows, the share of one thread when a decode step splits the inputs ({@link InputSplit}).
   * This default scales one stored row into the outputs at a time.
   */
  default void accumulateInOut(
      WeightMatrix w, float[] x, int n, int i0, int i1, float[] y, int yOff) {
    int in = w.rows();
    int out = w.cols();
    for (int i = i0; i < i1; i++) {
      for (int r = 0; r < n; r++) {
        axpy(w, i, 0, out, x[r * in + i], y, yOff + r * out);
      }
    }
  }

  /**
   * {@code y[r·out + o] = bias[o] + Σ_i x[r·in + i] · w[o, i]} with int8 weights for rows {@code r
   * < n} and the outputs of panels {@code [p0, p1)} ({@code bias} may be null). Each weight is
   * dequantized ({@code value · scale}) and each output is one fused multiply-add chain over the
   * inputs in order from zero, the bias added last: the bits of the float product over the
   * dequantized matrix, from every implementation. This default runs that chain per output.
   */
  default void linearInt8(Int8Matrix w, float[] bias, float[] x, int n, float[] y, int p0, int p1) {
    int in = w.cols();
    int out = w.rows();
    for (int o = p0 * PanelMatrix.WIDTH; o < Math.min(out, p1 * PanelMatrix.WIDTH); o++) {
      for (int r = 0; r < n; r++) {
        float sum = 0f;
        for (int i = 0; i < in; i++) {
          sum = Math.fma(x[r * in + i], w.get(o, i), sum);
        }
        y[r * out + o] = bias == null ? sum : bias[o] + sum;
      }
    }
  }

  /** Applies {@code a} in place to {@code x[from, to)}; this default calls it per element. */
  default void activate(Activation a, float[] x, int from, int to) {
    a.applyInPlace(x, from, to);
  }

  /** Widens row {@code row} of {@code w} into {@code dst[off, off + cols)}. */
  default void readRow(WeightMatrix w, int row, float[] dst, int off) {
    long base = w.offset(row, 0) / w.dtype().byteSize();
    for (int c = 0; c < w.cols(); c++) {
      dst[off + c] = Tensor.readFloat(w.data(), w.dtype(), base + c);
    }
  }

  static Kernels scalar() {
    return ScalarKernels.INSTANCE;
  }

  static Kernels vector() {
    return VectorKernels.INSTANCE;
  }

  /** The process-wide choice: vector unless {@code lmserve.kernels=scalar}. */
  static Kernels preferred() {
    return "scalar".equals(System.getProperty("lmserve.kernels")) ? scalar() : vector();
  }
}
