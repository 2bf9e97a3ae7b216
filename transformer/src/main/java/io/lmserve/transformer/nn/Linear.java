package io.lmserve.transformer.nn;

/**
 * {@code y = x·W + b} for a batch of rows, with W in either stored layout: PyTorch's {@code
 * nn.Linear} keeps {@code [out, in]} (BERT, LM heads), GPT-2's {@code Conv1D} keeps {@code [in,
 * out]}. Work is split by output features across the pool; the weights are read in place.
 */
public final class Linear {

  /** How the weight matrix is stored. */
  public enum Layout {
    /** {@code [out, in]}: each output is a dot product with one stored row. */
    OUT_IN,
    /** {@code [in, out]}: each input scales one stored row into the outputs. */
    IN_OUT
  }

  /** Output features per chunk of work (a multiple of every vector width in use). */
  private static final int GRAIN = 64;

  /** Multiply-adds below which a chunk is not worth handing to another thread. */
  private static final long MIN_CHUNK_WORK = 1 << 16;

  private final WeightMatrix weight;
  private final Int8Matrix int8;
  private final float[] bias;
  private final Layout layout;
  private final int in;
  private final int out;

  public Linear(WeightMatrix weight, float[] bias, Layout layout) {
    this(weight, null, bias, layout);
  }

  private Linear(WeightMatrix weight, Int8Matrix int8, float[] bias, Layout layout) {
    this.weight = weight;
    this.int8 = int8;
    this.layout = layout;
    this.in = layout == Layout.OUT_IN ? weight.cols() : weight.rows();
    this.out = layout == Layout.OUT_IN ? weight.rows() : weight.cols();
    if (bias != null && bias.length != out) {
      throw new IllegalArgumentException(
          weight.name() + ": bias has " + bias.length + " entries for " + out + " outputs");
    }
    this.bias = bias;
  }

  public int inFeatures() {
    return in;
  }

  public int outFeatures() {
    return out;
  }

  public WeightMatrix weight() {
    return weight;
  }

  /**
   * The same layer computing with int8 weights ({@link Int8Matrix}, quantized now on the pool); the
   * stored weights are no longer read.
   */
  public Linear quantizedInt8(WorkerPool pool) {
    return new Linear(
        weight, Int8Matrix.quantize(weight, layout == Layout.IN_OUT, pool), bias, layout);
  }

  /** Bytes of weights one forward pass reads (whatever the number of rows). */
  public long weightBytes() {
    return int8 != null ? int8.byteSize() : weight.data().byteSize();
  }

  /**
   * {@code y[r, :] = x[r, :]·W + b} for rows {@code r < n}; x is {@code [n, in]}, y {@code [n,
   * out]}.
   */
  public void forward(float[] x, int n, float[] y, Kernels k, WorkerPool pool) {
    if (n == 0) {
      return;
    }
    long perOutput = (long) in * n;
    int smallest = roundUp((int) Math.min(out, MIN_CHUNK_WORK / perOutput + 1));
    if (int8 != null) {
      pool.parallelFor(
          out,
          Math.max(GRAIN, smallest),
          (from, to) -> k.linearInt8(int8, bias, x, n, y, from, to));
    } else if (layout == Layout.IN_OUT && n <= InputSplit.MAX_ROWS) {
      InputSplit.forward(weight, bias, x, n, y, k, pool);
    } else if (layout == Layout.OUT_IN) {
      k.linearOutIn(weight, bias, x, n, y, pool, Math.max(GRAIN, smallest));
    } else {
      // Few wide column blocks: each thread then streams long runs of every stored row.
      int block = Math.max(smallest, roundUp(out / (2 * pool.parallelism())));
      pool.parallelFor(out, block, (from, to) -> k.linearInOut(weight, bias, x, n, y, from, to));
    }
  }

  private static int roundUp(int features) {
    return Math.max(GRAIN, (features + GRAIN - 1) / GRAIN * GRAIN);
  }

  /** Sets outputs {@code [from, to)} of each of {@code n} rows of width {@code out} to the bias. */
  static void startWithBias(float[] bias, int n, int out, float[] y, int from, int to) {
    for (int r = 0; r < n; r++) {
      int row = r * out;
      if (bias == null) {
        java.util.Arrays.fill(y, row + from, row + to, 0f);
      } else {
        System.arraycopy(bias, from, y, row + from, to - from);
      }
    }
  }
}
