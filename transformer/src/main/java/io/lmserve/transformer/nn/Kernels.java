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
