package io.lmserve.transformer.nn;

/** {@code (x - mean) / sqrt(var + eps) · weight + bias} over each row of width {@code n}. */
public record LayerNorm(float[] weight, float[] bias, double eps) {

  public int width() {
    return weight.length;
  }

  /** Normalizes {@code rows} rows of {@code x} into {@code y} (which may be {@code x}). */
  public void apply(float[] x, float[] y, int rows) {
    int n = weight.length;
    for (int r = 0; r < rows; r++) {
      int off = r * n;
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += x[off + i];
      }
      double mean = sum / n;
      double squares = 0;
      for (int i = 0; i < n; i++) {
        double d = x[off + i] - mean;
        squares += d * d;
      }
      double invStd = 1.0 / Math.sqrt(squares / n + eps);
      for (int i = 0; i < n; i++) {
        y[off + i] = (float) ((x[off + i] - mean) * invStd) * weight[i] + bias[i];
      }
    }
  }
}
