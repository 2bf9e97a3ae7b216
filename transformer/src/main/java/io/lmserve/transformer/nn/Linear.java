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
  private final PanelMatrix panels;
  private final Int8Matrix int8;
  private final float[] bias;
  private final Layout layout;
  private final int in;
  private final int out;

  /** The weights read where they are stored, in their stored layout and dtype. */
  public Linear(WeightMatrix weight, float[] bias, Layout layout) {
    this(weight, null, null, bias, layout);
  }

  /**
   * The weights' memory rearranged into column panels ({@link PanelMatrix#packInPlace}): F32 only;
   * {@code weight} is handed over and no longer reads as stored.
   */
  public static Linear packed(WeightMatrix weight, float[] bias, Layout layout) {
    return new Linear(
        null, PanelMatrix.packInPlace(weight, layout == Layout.OUT_IN), null, bias, layout);
  }

  /** A layer over weights already in panels (an LM head whose memory the embedding shares). */
  public static Linear over(PanelMatrix panels, float[] bias) {
    return new Linear(null, panels, null, bias, Layout.IN_OUT);
  }

  private Linear(
      WeightMatrix weight, PanelMatrix panels, Int8Matrix int8, float[] bias, Layout layout) {
    this.weight = weight;
    this.panels = panels;
    this.int8 = int8;
    this.layout = layout;
    if (panels != null) {
      this.in = panels.in();
      this.out = panels.out();
    } else {
      this.in = layout == Layout.OUT_IN ? weight.cols() : weight.rows();
      this.out = layout == Layout.OUT_IN ? weight.rows() : weight.cols();
    }
    if (bias != null && bias.length != out) {
      throw new IllegalArgumentException(
          name() + ": bias has " + bias.length + " entries for " + out + " outputs");
    }
    this.bias = bias;
  }

  private String name() {
    return panels != null ? panels.name() : weight.name();
  }

  public int inFeatures() {
    return in;
  }

  public int outFeatures() {
    return out;
  }

  /**
   * The same layer computing with int8 weights ({@link Int8Matrix}, quantized now on the pool); the
   * stored weights are no longer read.
   */
  public Linear quantizedInt8(WorkerPool pool) {
    if (panels != null) {
      return new Linear(null, panels, Int8Matrix.quantize(panels, pool), bias, Layout.IN_OUT);
    }
    return new Linear(
        weight, null, Int8Matrix.quantize(weight, layout == Layout.IN_OUT, pool), bias, layout);
  }

  /** Bytes of weights one forward pass reads (whatever the number of rows). */
  public long weightBytes() {
    if (int8 != null) {
      return int8.byteSize();
    }
    return panels != null ? panels.data().byteSize() : weight.data().byteSize();
  }

  /**
   * {@code y[r, :] = x[r, :]·W + b} for rows {@code r < n}; x is {@code [n, in]}, y {@code [n,
   * out]}.
   */
  public void forward(float[] x, int n, float[] y, Kernels k, WorkerPool pool) {
    if (n == 0) {
      return;
    }
    if (int8 != null || panels != null) {
      int count = PanelMatrix.panels(out);
      // F32 at batch 1: one contiguous run of panels per thread, a single stream each (four
      // chunks per thread ran 0.97-0.99x). Otherwise four per thread, so a thread slowed by its
      // neighbours hands over the rest: batch 8 1.07x (median of 10 alternating rounds), int8 at
      // batch 1, which widens every weight rather than only streaming it, 1.15x and 1.03x
      // (medians of 8, two runs). Prefill: two per thread.
      boolean stream = n == 1 && int8 == null;
      int chunks = (stream ? 1 : n <= Microkernel.ROWS ? 4 : 2) * pool.parallelism();
      int grain = (count + chunks - 1) / chunks;
      if ((long) in * out * n < MIN_CHUNK_WORK) {
        grain = count;
      }
      if (int8 != null) {
        pool.parallelFor(count, grain, (p0, p1) -> k.linearInt8(int8, bias, x, n, y, p0, p1));
      } else {
        pool.parallelFor(count, grain, (p0, p1) -> k.linearPanels(panels, bias, x, n, y, p0, p1));
      }
      return;
    }
    if (layout == Layout.IN_OUT && n <= InputSplit.MAX_ROWS) {
      InputSplit.forward(weight, bias, x, n, y, k, pool);
      return;
    }
    int smallest = roundUp((int) Math.min(out, MIN_CHUNK_WORK / ((long) in * n) + 1));
    if (layout == Layout.OUT_IN) {
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
