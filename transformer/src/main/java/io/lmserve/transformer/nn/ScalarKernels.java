package io.lmserve.transformer.nn;

import io.lmserve.transformer.safetensors.Tensor;

/** Plain loops: the reference for {@link VectorKernels}. Sums run in index order. */
final class ScalarKernels implements Kernels {

  static final ScalarKernels INSTANCE = new ScalarKernels();

  private ScalarKernels() {}

  @Override
  public float dot(WeightMatrix w, int row, float[] x, int xOff) {
    long base = (long) row * w.cols();
    float sum = 0f;
    for (int c = 0; c < w.cols(); c++) {
      sum += Tensor.readFloat(w.data(), w.dtype(), base + c) * x[xOff + c];
    }
    return sum;
  }

  @Override
  public void axpy(WeightMatrix w, int row, int from, int to, float a, float[] y, int yOff) {
    long base = (long) row * w.cols();
    for (int c = from; c < to; c++) {
      y[yOff + c - from] += a * Tensor.readFloat(w.data(), w.dtype(), base + c);
    }
  }

  @Override
  public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
    float sum = 0f;
    for (int i = 0; i < n; i++) {
      sum += a[aOff + i] * b[bOff + i];
    }
    return sum;
  }

  @Override
  public void scaleAdd(float scale, float[] y, int yOff, float a, float[] x, int xOff, int n) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = y[yOff + i] * scale + a * x[xOff + i];
    }
  }

  @Override
  public String toString() {
    return "scalar";
  }
}
