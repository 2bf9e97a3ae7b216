package io.lmserve.transformer.nn;

/** {@code (x - mean) / sqrt(var + eps) · weight + bias} over each row of width {@code n}. */
public record LayerNorm(float[] weight, float[] bias, double eps) {

  /**
   * Rows from which the pool splits a normalization: a prefill or BERT batch (hundreds of rows)
   * would otherwise leave the other threads idle for ~2 % of its time; a decode step's few rows are
   * not worth a hand-off.
   */
  private static final int PARALLEL_ROWS = 16;

  public int width() {
    return weight.length;
  }

  /**
   * Normalizes {@code rows} rows of {@code x} into {@code y} (which may be {@code x}), the rows
   * split across {@code pool}.
   */
  public void apply(float[] x, float[] y, int rows, WorkerPool pool) {
    if (rows < PARALLEL_ROWS) {
      normalize(x, y, 0, rows); // no task object: a decode step allocates nothing here
    } else {
      pool.parallelFor(rows, grain(rows, pool), (from, to) -> normalize(x, y, from, to));
    }
  }

  /**
   * The residual step of a block: {@code sum += residual}, then {@code y = norm(sum)}, each row
   * while it is in cache; {@code y} may be {@code residual} (not {@code sum}). Rows split across
   * {@code pool}.
   */
  public void addThenApply(float[] sum, float[] residual, float[] y, int rows, WorkerPool pool) {
    if (rows < PARALLEL_ROWS) {
      addThenNormalize(sum, residual, y, 0, rows);
    } else {
      pool.parallelFor(
          rows, grain(rows, pool), (from, to) -> addThenNormalize(sum, residual, y, from, to));
    }
  }

  private static int grain(int rows, WorkerPool pool) {
    return Math.max(1, rows / (4 * pool.parallelism()));
  }

  private void addThenNormalize(float[] sum, float[] residual, float[] y, int from, int to) {
    int n = weight.length;
    for (int r = from; r < to; r++) {
      for (int i = r * n; i < (r + 1) * n; i++) {
        sum[i] += residual[i];
      }
      normalize(sum, y, r, r + 1);
    }
  }

  private void normalize(float[] x, float[] y, int from, int to) {
    int n = weight.length;
    for (int r = from; r < to; r++) {
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
