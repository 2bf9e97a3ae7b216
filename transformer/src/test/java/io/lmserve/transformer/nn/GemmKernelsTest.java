package io.lmserve.transformer.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.transformer.safetensors.DType;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The many-row products ({@link TiledMatmul}'s panels, {@link RowPanelMatmul}) and the vector GELUs
 * against double precision and the scalar path, at sizes around every tile and lane edge.
 */
class GemmKernelsTest {

  private static final int L = Microkernel.L;

  private final Random random = new Random(20261123);

  /** Row counts on both sides of every tile edge: 8 rows, lanes, three vectors of lanes. */
  private static int[] rowCounts() {
    return new int[] {1, 7, 8, 9, L - 1, L, 2 * L - 1, 2 * L, 2 * L + 1, 3 * L + 5, 63, 65, 100};
  }

  /** {@code values} rounded to {@code dtype}, stored row-major in that dtype. */
  private static WeightMatrix store(DType dtype, float[] values, int rows, int cols) {
    ByteBuffer b =
        ByteBuffer.allocate(values.length * dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < values.length; i++) {
      switch (dtype) {
        case F32 -> b.putFloat(values[i]);
        case F16 -> {
          short h = Float.floatToFloat16(values[i]);
          values[i] = Float.float16ToFloat(h);
          b.putShort(h);
        }
        case BF16 -> {
          short h = (short) (Float.floatToRawIntBits(values[i]) >>> 16);
          values[i] = Float.intBitsToFloat(h << 16);
          b.putShort(h);
        }
        default -> throw new IllegalArgumentException(dtype.toString());
      }
    }
    return new WeightMatrix("w", MemorySegment.ofArray(b.array()), dtype, rows, cols);
  }

  private float[] gaussian(int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return x;
  }

  @Test
  void manyRowProductsMatchDoublePrecisionInBothLayoutsAndEveryDtype() {
    WorkerPool pool = new WorkerPool(3);
    int[][] shapes = {{1, 1}, {7, 9}, {17, 3 * L + 1}, {65, 63}, {100, 8 * L + 7}, {L, 2 * L}};
    for (DType dtype : new DType[] {DType.F32, DType.F16, DType.BF16}) {
      for (int[] shape : shapes) {
        int in = shape[0];
        int out = shape[1];
        float[] w = gaussian(out * in); // [out, in]
        WeightMatrix outIn = store(dtype, w, out, in);
        float[] t = new float[in * out];
        for (int o = 0; o < out; o++) {
          for (int i = 0; i < in; i++) {
            t[i * out + o] = w[o * in + i];
          }
        }
        WeightMatrix inOut = store(dtype, t, in, out);
        float[] bias = gaussian(out);
        for (int n : rowCounts()) {
          float[] x = gaussian(n * in);
          for (Kernels k : new Kernels[] {Kernels.vector(), Kernels.scalar()}) {
            float[] a = new float[n * out];
            float[] b = new float[n * out];
            new Linear(outIn, bias, Linear.Layout.OUT_IN).forward(x, n, a, k, pool);
            new Linear(inOut, bias, Linear.Layout.IN_OUT).forward(x, n, b, k, pool);
            for (int r = 0; r < n; r++) {
              for (int o = 0; o < out; o++) {
                double exact = bias[o];
                double magnitude = Math.abs(exact);
                for (int i = 0; i < in; i++) {
                  double term = (double) x[r * in + i] * w[o * in + i];
                  exact += term;
                  magnitude += Math.abs(term);
                }
                double tolerance = 1e-6 * magnitude + 1e-7;
                String where = k + " " + dtype + " " + in + "x" + out + " n=" + n + " at " + r;
                assertEquals(exact, a[r * out + o], tolerance, "OUT_IN " + where + "," + o);
                assertEquals(exact, b[r * out + o], tolerance, "IN_OUT " + where + "," + o);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void aRowComesOutTheSameWhateverTheOtherRowsInTheProduct() {
    // Each lane sums in index order, so batching must not change a row's bits (BERT's batch of
    // one vs batch of many, GPT-2's prefill chunks).
    int in = 70;
    int out = 3 * L + 9;
    WorkerPool pool = new WorkerPool(2);
    for (Linear.Layout layout : Linear.Layout.values()) {
      float[] w = gaussian(in * out);
      WeightMatrix m =
          layout == Linear.Layout.OUT_IN
              ? WeightMatrix.ofFloats("w", w, out, in)
              : WeightMatrix.ofFloats("w", w, in, out);
      Linear linear = new Linear(m, gaussian(out), layout);
      int n = 5 * L + 3;
      float[] x = gaussian(n * in);
      float[] all = new float[n * out];
      linear.forward(x, n, all, Kernels.vector(), pool);
      int from = 2 * L - 1;
      int rows = 3 * L + 1;
      float[] some = new float[rows * out];
      float[] part = java.util.Arrays.copyOfRange(x, from * in, (from + rows) * in);
      linear.forward(part, rows, some, Kernels.vector(), pool);
      for (int i = 0; i < rows * out; i++) {
        assertEquals(all[from * out + i], some[i], 0f, layout + " element " + i);
      }
    }
  }

  @Test
  void vectorExpIsWithinTwoUlpsOfMathExpOverTheFloatRange() {
    float[] x = new float[L * 2000];
    for (int i = 0; i < x.length; i++) {
      x[i] =
          i < x.length / 2 ? -87.3f + i * (175.3f / (x.length / 2)) : (float) random.nextGaussian();
    }
    for (int i = 0; i < x.length; i += L) {
      float[] y = new float[L];
      VectorActivation.exp(
              jdk.incubator.vector.FloatVector.fromArray(
                  jdk.incubator.vector.FloatVector.SPECIES_PREFERRED, x, i))
          .intoArray(y, 0);
      for (int j = 0; j < L; j++) {
        double want = Math.exp(x[i + j]);
        assertEquals(want, y[j], 2 * Math.ulp((float) want), "exp(" + x[i + j] + ")");
      }
    }
    float[] edges = java.util.Arrays.copyOf(new float[] {Float.NaN, -1000f, 1000f}, L);
    float[] y = new float[L];
    VectorActivation.exp(
            jdk.incubator.vector.FloatVector.fromArray(
                jdk.incubator.vector.FloatVector.SPECIES_PREFERRED, edges, 0))
        .intoArray(y, 0);
    assertTrue(Float.isNaN(y[0]), "NaN stays NaN");
    assertTrue(y[1] >= 0 && y[1] < 1.3e-38f, "underflow clamps to a tiny value: " + y[1]);
    assertEquals(1.65e38, y[2], 0.01e38, "overflow clamps to e^88");
  }

  @Test
  void blockedAttentionMatchesTheRowByRowOnlineSoftmax() {
    for (int d : new int[] {4 * L, L, 2 * L}) {
      int heads = 3;
      int stride = heads * d + 5;
      for (int width : new int[] {1, 7, 8, 9, L + 1, 3 * L, 3 * L + 1, 63, 65}) {
        int first = 2;
        int rows = first + width + 1;
        float[] q = gaussian(rows * stride);
        float[] k = gaussian(rows * stride);
        float[] v = gaussian(rows * stride);
        boolean[] keep = new boolean[rows + 3];
        for (int j = 0; j < keep.length; j++) {
          keep[j] = width < 9 || random.nextInt(4) > 0;
        }
        if (width == 8) {
          java.util.Arrays.fill(keep, false); // no kept key: zeros, like attend
        }
        for (int head = 0; head < heads; head++) {
          int headOff = head * d + 5;
          float[] blocked = new float[rows * stride];
          float[] single = new float[rows * stride];
          Attention.attendAll(q, k, v, stride, first, headOff, width, keep, 3, 0.125f, d, blocked);
          for (int i = 0; i < width; i++) {
            int off = (first + i) * stride + headOff;
            Attention.attend(
                q,
                off,
                k,
                v,
                stride,
                first * stride + headOff,
                width,
                keep,
                3,
                0.125f,
                d,
                single,
                off,
                Kernels.scalar());
          }
          for (int i = 0; i < rows * stride; i++) {
            assertEquals(
                single[i],
                blocked[i],
                2e-6 * (1 + Math.abs(single[i])),
                "d " + d + " width " + width + " head " + head + " at " + i);
          }
        }
      }
    }
  }

  @Test
  void causalBlockedAttentionMatchesTheOnlineSoftmaxOverEachRowsPrefix() {
    // A prefill's layout: queries inside rows of [q | k | v], keys and values in a cache of their
    // own stride, outputs in a third; rows [past, past + rows) attend to keys [0, own position].
    for (int d : new int[] {L, 2 * L, 4 * L}) {
      int heads = 2;
      int hidden = heads * d;
      for (int past : new int[] {0, 1, 7, 9, 3 * L + 1}) {
        for (int rows : new int[] {1, 7, 8, 9, L + 1, 3 * L + 1, 63, 65}) {
          int total = past + rows;
          float[] qkv = gaussian(rows * 3 * hidden);
          float[] k = gaussian(total * hidden + 3);
          float[] v = gaussian(total * hidden + 3);
          for (int head = 0; head < heads; head++) {
            int off = head * d;
            float[] blocked = new float[rows * hidden];
            float[] single = new float[rows * hidden];
            Attention.attendCausal(
                qkv,
                off,
                3 * hidden,
                k,
                v,
                off + 3,
                hidden,
                past,
                rows,
                0.125f,
                d,
                blocked,
                off,
                hidden);
            for (int i = 0; i < rows; i++) {
              Attention.attend(
                  qkv,
                  i * 3 * hidden + off,
                  k,
                  v,
                  hidden,
                  off + 3,
                  past + i + 1,
                  null,
                  0,
                  0.125f,
                  d,
                  single,
                  i * hidden + off,
                  Kernels.scalar());
            }
            for (int i = 0; i < rows * hidden; i++) {
              assertEquals(
                  single[i],
                  blocked[i],
                  2e-6 * (1 + Math.abs(single[i])),
                  "d " + d + " past " + past + " rows " + rows + " head " + head + " at " + i);
            }
          }
        }
      }
    }
  }

  @Test
  void blockedAttentionScratchFitsAWiderSequenceAfterAWiderHead() throws Exception {
    // Fresh per-thread scratch: a wide head on a short sequence, then a narrow head on a longer
    // one that needs more score rows but no more key room.
    Thread t =
        new Thread(
            () -> {
              for (int[] dw : new int[][] {{4 * L, L}, {L, 3 * L + 1}}) {
                int d = dw[0];
                int width = dw[1];
                float[] q = gaussian(width * d);
                float[] out = new float[width * d];
                Attention.attendAll(q, q, q, d, 0, 0, width, null, 0, 0.5f, d, out);
                float[] one = new float[width * d];
                Attention.attend(
                    q, 0, q, q, d, 0, width, null, 0, 0.5f, d, one, 0, Kernels.scalar());
                for (int c = 0; c < d; c++) {
                  assertEquals(
                      one[c], out[c], 2e-6 * (1 + Math.abs(one[c])), "d " + d + " at " + c);
                }
              }
            });
    Throwable[] failure = new Throwable[1];
    t.setUncaughtExceptionHandler((thread, e) -> failure[0] = e);
    t.start();
    t.join();
    if (failure[0] != null) {
      throw new AssertionError(failure[0]);
    }
  }

  /** erf by its Taylor series in double: accurate to ~1e-12 for |x| ≤ 4, ±1 within 2e-8 beyond. */
  private static double exactErf(double x) {
    if (Math.abs(x) > 4) {
      return Math.signum(x);
    }
    double term = x;
    double sum = x;
    for (int n = 1; n < 200; n++) {
      term *= -x * x / n;
      sum += term / (2 * n + 1);
    }
    return 2 / Math.sqrt(Math.PI) * sum;
  }

  @Test
  void vectorGelusStayWithinTheirErrorBoundsAtEveryLength() {
    float[] grid = new float[4001 + 200];
    for (int i = 0; i <= 4000; i++) {
      grid[i] = -12f + i * 0.006f;
    }
    for (int i = 4001; i < grid.length; i++) {
      grid[i] = (float) (random.nextGaussian() * 3);
    }
    double worstErf = 0;
    for (Activation a : Activation.values()) {
      float[] v = grid.clone();
      Kernels.vector().activate(a, v, 0, v.length);
      for (int i = 0; i < grid.length; i++) {
        double x = grid[i];
        double scalar = a.apply(grid[i]);
        // Float evaluation of the same formulas: a few roundings of the result, plus the exp of a
        // rounded argument whose relative error grows with it (absolutely tiny where it does).
        double tolerance = 8 * Math.ulp((float) scalar) + 2e-8 * Math.abs(x);
        assertEquals(scalar, v[i], tolerance, a + " at " + x);
        if (a == Activation.GELU) {
          double exact = 0.5 * x * (1 + exactErf(x / Math.sqrt(2)));
          double err = Math.abs(v[i] - exact);
          // erf within 3e-7 (A&S's 1.5e-7 plus its evaluation in float) scaled by 0.5|x|, plus
          // the rounding of the result.
          assertTrue(
              err <= 0.5 * Math.abs(x) * 3e-7 + 2 * Math.ulp((float) exact) + 1e-12,
              a + " at " + x + ": " + err);
          worstErf = Math.max(worstErf, err);
        }
      }
    }
    assertTrue(worstErf > 0, "the comparison ran");
    for (int length : new int[] {1, 7, L - 1, L + 1, 63, 65}) {
      for (Activation a : new Activation[] {Activation.GELU, Activation.GELU_NEW}) {
        float[] x = gaussian(length + 4);
        float[] v = x.clone();
        Kernels.vector().activate(a, v, 2, 2 + length);
        for (int i = 0; i < x.length; i++) {
          boolean inside = i >= 2 && i < 2 + length;
          double want = inside ? a.apply(x[i]) : x[i];
          double tolerance = inside ? 8 * Math.ulp((float) want) + 2e-8 * Math.abs(x[i]) : 0;
          assertEquals(want, v[i], tolerance, a + " " + length);
        }
      }
    }
    for (Activation a : new Activation[] {Activation.GELU, Activation.GELU_NEW}) {
      float[] special = {Float.POSITIVE_INFINITY, 0f, -0f, 1e-30f, -1e-30f, 100f, -100f};
      float[] v = java.util.Arrays.copyOf(special, Math.max(special.length, L));
      Kernels.vector().activate(a, v, 0, v.length);
      for (int i = 0; i < special.length; i++) {
        assertEquals(a.apply(special[i]), v[i], 1e-36f, a + "(" + special[i] + ")");
      }
    }
  }
}
