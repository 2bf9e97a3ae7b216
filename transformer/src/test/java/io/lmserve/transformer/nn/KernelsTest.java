package io.lmserve.transformer.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.transformer.safetensors.DType;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The vector kernels against the scalar reference, over every weight dtype and odd sizes. */
class KernelsTest {

  private final Random random = new Random(20240601);

  /** A random {@code rows x cols} matrix stored as {@code dtype}, and its exact float values. */
  private record Sample(WeightMatrix matrix, float[] values) {}

  private Sample sample(DType dtype, int rows, int cols) {
    int n = rows * cols;
    float[] values = new float[n];
    ByteBuffer b = ByteBuffer.allocate(n * dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      float v = (float) random.nextGaussian();
      switch (dtype) {
        case F32 -> b.putFloat(values[i] = v);
        case F16 -> {
          short h = Float.floatToFloat16(v);
          b.putShort(h);
          values[i] = Float.float16ToFloat(h);
        }
        case BF16 -> {
          short h = (short) (Float.floatToRawIntBits(v) >>> 16);
          b.putShort(h);
          values[i] = Float.intBitsToFloat(h << 16);
        }
        default -> throw new IllegalArgumentException();
      }
    }
    return new Sample(
        new WeightMatrix("w", MemorySegment.ofArray(b.array()), dtype, rows, cols), values);
  }

  private float[] vector(int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return x;
  }

  @Test
  void dotAndAxpyAgreeAcrossKernelsAndWithDoublePrecision() {
    for (DType dtype : new DType[] {DType.F32, DType.F16, DType.BF16}) {
      for (int cols : new int[] {1, 7, 8, 15, 16, 17, 64, 100, 257}) {
        Sample s = sample(dtype, 3, cols);
        float[] x = vector(cols + 5);
        for (int row = 0; row < 3; row++) {
          double exact = 0;
          for (int c = 0; c < cols; c++) {
            exact += (double) s.values[row * cols + c] * x[5 + c];
          }
          double tolerance = 1e-5 * Math.sqrt(cols) * 4;
          float v = Kernels.vector().dot(s.matrix, row, x, 5);
          float sc = Kernels.scalar().dot(s.matrix, row, x, 5);
          assertEquals(exact, v, tolerance, dtype + " vector dot, cols " + cols);
          assertEquals(exact, sc, tolerance, dtype + " scalar dot, cols " + cols);

          int from = Math.min(cols, 1);
          float[] y0 = vector(cols + 2);
          float[] yv = y0.clone();
          float[] ys = y0.clone();
          Kernels.vector().axpy(s.matrix, row, from, cols, 0.75f, yv, 2);
          Kernels.scalar().axpy(s.matrix, row, from, cols, 0.75f, ys, 2);
          for (int i = 0; i < yv.length; i++) {
            int c = from + i - 2;
            boolean touched = i >= 2 && c < cols;
            double term = touched ? 0.75 * s.values[row * cols + c] : 0;
            double sum = y0[i] + term;
            double ulps = 2 * Math.ulp((float) (Math.abs(y0[i]) + Math.abs(term)));
            assertEquals(sum, yv[i], ulps, dtype + " vector axpy " + cols + " at " + i);
            assertEquals(sum, ys[i], ulps, dtype + " scalar axpy " + cols + " at " + i);
          }
        }
      }
    }
  }

  @Test
  void tiledLinearKernelsMatchDoublePrecisionOverOddShapesAndRanges() {
    for (DType dtype : new DType[] {DType.F32, DType.F16, DType.BF16}) {
      for (int[] shape : new int[][] {{1, 1}, {7, 5}, {16, 24}, {37, 150}, {64, 67}, {9, 33}}) {
        int in = shape[0];
        int out = shape[1];
        Sample outIn = sample(dtype, out, in);
        float[] transposed = new float[in * out];
        ByteBuffer t = ByteBuffer.allocate(in * out * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < in; i++) {
          for (int o = 0; o < out; o++) {
            transposed[i * out + o] = outIn.values[o * in + i];
            t.putFloat(transposed[i * out + o]);
          }
        }
        WeightMatrix inOut =
            dtype == DType.F32
                ? new WeightMatrix("t", MemorySegment.ofArray(t.array()), DType.F32, in, out)
                : transposedSample(dtype, outIn.values, out, in);
        float[] bias = vector(out);
        for (int n : new int[] {1, 2, 3, 4, 5, 8, 11}) {
          float[] x = vector(n * in);
          for (int[] range : new int[][] {{0, out}, {out / 3, out}, {1, Math.max(1, out - 2)}}) {
            int from = Math.min(range[0], out);
            int to = Math.max(from, Math.min(range[1], out));
            for (Kernels k : new Kernels[] {Kernels.vector(), Kernels.scalar()}) {
              float[] a = new float[n * out];
              float[] b = new float[n * out];
              k.linearOutIn(outIn.matrix, bias, x, n, a, from, to);
              k.linearInOut(inOut, bias, x, n, b, from, to);
              for (int r = 0; r < n; r++) {
                for (int o = 0; o < out; o++) {
                  boolean inside = o >= from && o < to;
                  double exact = inside ? bias[o] : 0;
                  double magnitude = Math.abs(exact);
                  for (int i = 0; inside && i < in; i++) {
                    double term = (double) x[r * in + i] * outIn.values[o * in + i];
                    exact += term;
                    magnitude += Math.abs(term);
                  }
                  double tolerance = 1e-6 * magnitude + 1e-7;
                  String where =
                      k + " " + dtype + " " + in + "x" + out + " n=" + n + " [" + from + "," + to
                          + ") at " + r + "," + o;
                  assertEquals(exact, a[r * out + o], tolerance, "OUT_IN " + where);
                  assertEquals(exact, b[r * out + o], tolerance, "IN_OUT " + where);
                }
              }
            }
          }
        }
      }
    }
  }

  @Test
  void inputSplitDecodeProductsMatchDoublePrecisionOverOddShapesPoolsAndBatches() {
    WorkerPool[] pools = {new WorkerPool(1), new WorkerPool(2), new WorkerPool(3)};
    for (DType dtype : new DType[] {DType.F32, DType.F16, DType.BF16}) {
      for (int[] shape : new int[][] {{1, 1}, {7, 5}, {67, 33}, {130, 150}, {259, 1030}}) {
        int in = shape[0];
        int out = shape[1];
        Sample outIn = sample(dtype, out, in);
        float[] bias = vector(out);
        Linear layer =
            new Linear(
                transposedAnyDtype(dtype, outIn.values, out, in), bias, Linear.Layout.IN_OUT);
        Linear noBias =
            new Linear(
                transposedAnyDtype(dtype, outIn.values, out, in), null, Linear.Layout.IN_OUT);
        for (int n = 1; n <= InputSplit.MAX_ROWS; n++) {
          float[] x = vector(n * in);
          for (WorkerPool pool : pools) {
            for (Kernels k : new Kernels[] {Kernels.vector(), Kernels.scalar()}) {
              for (Linear l : new Linear[] {layer, noBias}) {
                float[] y = vector(n * out); // stale contents must be overwritten
                l.forward(x, n, y, k, pool);
                float[] b = l == noBias ? new float[out] : bias;
                for (int r = 0; r < n; r++) {
                  for (int o = 0; o < out; o++) {
                    double exact = b[o];
                    double magnitude = Math.abs(exact);
                    for (int i = 0; i < in; i++) {
                      double term = (double) x[r * in + i] * outIn.values[o * in + i];
                      exact += term;
                      magnitude += Math.abs(term);
                    }
                    assertEquals(
                        exact,
                        y[r * out + o],
                        1e-6 * magnitude + 1e-7,
                        k
                            + " "
                            + dtype
                            + " "
                            + in
                            + "x"
                            + out
                            + " n="
                            + n
                            + " threads="
                            + pool.parallelism()
                            + " at "
                            + r
                            + ","
                            + o);
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  @Test
  void accumulateInOutAddsOneBandIntoOffsetOutputsLikeTheScalarPath() {
    for (DType dtype : new DType[] {DType.F32, DType.F16, DType.BF16}) {
      int lanes = VectorKernels.lanes();
      for (int[] shape :
          new int[][] {
            {9, 3}, {41, 17}, {70, 1030}, {65, 63}, {30, 3 * lanes + 1}, {13, 6 * lanes - 1}
          }) {
        int in = shape[0];
        int out = shape[1];
        Sample s = sample(dtype, in, out); // stored [in, out]
        for (int n : new int[] {1, 2, 3, 7, 8}) {
          float[] x = vector(n * in);
          int i0 = in / 3;
          int i1 = in - 1;
          int yOff = 5;
          float[] start = vector(yOff + n * out);
          float[] v = start.clone();
          float[] sc = start.clone();
          Kernels.vector().accumulateInOut(s.matrix, x, n, i0, i1, v, yOff);
          Kernels.scalar().accumulateInOut(s.matrix, x, n, i0, i1, sc, yOff);
          for (int j = 0; j < yOff; j++) {
            assertEquals(start[j], v[j], "before the offset " + j);
          }
          for (int r = 0; r < n; r++) {
            for (int o = 0; o < out; o++) {
              double exact = start[yOff + r * out + o];
              double magnitude = Math.abs(exact);
              for (int i = i0; i < i1; i++) {
                double term = (double) x[r * in + i] * s.values[i * out + o];
                exact += term;
                magnitude += Math.abs(term);
              }
              String where = dtype + " " + in + "x" + out + " n=" + n + " at " + r + "," + o;
              assertEquals(
                  exact, v[yOff + r * out + o], 1e-6 * magnitude + 1e-7, "vector " + where);
              assertEquals(
                  exact, sc[yOff + r * out + o], 1e-6 * magnitude + 1e-7, "scalar " + where);
            }
          }
        }
      }
    }
  }

  @Test
  void batchedInOutDecodeRowsAreBitForBitTheRowAlone() {
    WorkerPool pool = new WorkerPool(2);
    int lanes = VectorKernels.lanes();
    for (DType dtype : new DType[] {DType.F32, DType.F16, DType.BF16}) {
      for (int[] shape : new int[][] {{130, 3 * lanes + 5}, {259, 65}, {200, 7}}) {
        int in = shape[0];
        int out = shape[1];
        Sample s = sample(dtype, in, out); // stored [in, out]
        Linear layer = new Linear(s.matrix, vector(out), Linear.Layout.IN_OUT);
        for (int n = 2; n <= InputSplit.MAX_ROWS; n++) {
          float[] x = vector(n * in);
          float[] together = new float[n * out];
          layer.forward(x, n, together, Kernels.vector(), pool);
          for (int r = 0; r < n; r++) {
            float[] alone = new float[out];
            layer.forward(
                java.util.Arrays.copyOfRange(x, r * in, (r + 1) * in),
                1,
                alone,
                Kernels.vector(),
                pool);
            assertArrayEquals(
                alone,
                java.util.Arrays.copyOfRange(together, r * out, (r + 1) * out),
                dtype + " " + in + "x" + out + " n=" + n + " row " + r);
          }
        }
      }
    }
  }

  @Test
  void laneSumIsTheSameFixedTreeInterpretedAndCompiled() {
    int lanes = VectorKernels.lanes();
    jdk.incubator.vector.VectorSpecies<Float> species =
        jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
    // Enough calls for the JIT to compile sum() part-way through; every one must match the tree.
    for (int call = 0; call < 30_000; call++) {
      float[] a = new float[lanes];
      for (int i = 0; i < lanes; i++) {
        a[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(9) - 4));
      }
      float[] t = a.clone();
      for (int i = 1; lanes > 16 && i < lanes; i++) {
        t[0] += a[i]; // wider than x86 vectors: lane by lane
      }
      for (int shift = lanes / 2; lanes <= 16 && shift >= 1; shift /= 2) {
        float[] next = new float[lanes];
        for (int i = 0; i < lanes; i++) {
          next[i] = t[i] + t[(i + shift) % lanes];
        }
        t = next;
      }
      float got = VectorKernels.sum(jdk.incubator.vector.FloatVector.fromArray(species, a, 0));
      assertEquals(
          Float.floatToIntBits(t[0]), Float.floatToIntBits(got), "call " + call + ": " + got);
    }
  }

  /** {@link #transposedSample} for every dtype, F32 included. */
  private static WeightMatrix transposedAnyDtype(DType dtype, float[] values, int rows, int cols) {
    if (dtype != DType.F32) {
      return transposedSample(dtype, values, rows, cols);
    }
    float[] t = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = values[r * cols + c];
      }
    }
    return WeightMatrix.ofFloats("t", t, cols, rows);
  }

  /** {@code values} ({@code [rows, cols]}, exactly representable in dtype) stored transposed. */
  private static WeightMatrix transposedSample(DType dtype, float[] values, int rows, int cols) {
    ByteBuffer b = ByteBuffer.allocate(rows * cols * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int c = 0; c < cols; c++) {
      for (int r = 0; r < rows; r++) {
        float v = values[r * cols + c];
        b.putShort(
            dtype == DType.F16
                ? Float.floatToFloat16(v)
                : (short) (Float.floatToRawIntBits(v) >>> 16));
      }
    }
    return new WeightMatrix("t", MemorySegment.ofArray(b.array()), dtype, cols, rows);
  }

  @Test
  void int8KernelsMatchTheDequantizedProductAndQuantizationStaysWithinHalfAStep() {
    for (DType dtype : new DType[] {DType.F32, DType.F16, DType.BF16}) {
      for (int[] shape :
          new int[][] {
            {1, 1}, {31, 5}, {32, 7}, {64, 67}, {100, 33}, {257, 9}, {70, 160}, {33, 100}
          }) {
        int in = shape[0];
        int out = shape[1];
        Sample outIn = sample(dtype, out, in);
        Int8Matrix q = Int8Matrix.quantize(outIn.matrix, false, WorkerPool.shared());
        Int8Matrix viaTranspose =
            Int8Matrix.quantize(
                transposedAnyDtype(dtype, outIn.values, out, in), true, WorkerPool.shared());
        for (int o = 0; o < out; o++) {
          for (int b = 0; b * Int8Matrix.BLOCK < in; b++) {
            float max = 0f;
            for (int c = b * Int8Matrix.BLOCK; c < Math.min(in, (b + 1) * Int8Matrix.BLOCK); c++) {
              max = Math.max(max, Math.abs(outIn.values[o * in + c]));
            }
            for (int c = b * Int8Matrix.BLOCK; c < Math.min(in, (b + 1) * Int8Matrix.BLOCK); c++) {
              float want = outIn.values[o * in + c];
              assertEquals(want, q.get(o, c), max / 254 * 1.0001 + 1e-12, "element " + o + "," + c);
              assertEquals(q.get(o, c), viaTranspose.get(o, c), 0f, "transposed " + o + "," + c);
            }
          }
        }
        float[] bias = vector(out);
        // The float product over the dequantized matrix, whose bits every int8 path must give.
        float[] dequantized = new float[in * out];
        for (int o = 0; o < out; o++) {
          for (int i = 0; i < in; i++) {
            dequantized[i * out + o] = q.get(o, i);
          }
        }
        PanelMatrix exactly = PanelMatrix.of("dq", dequantized, in, out);
        for (int n : new int[] {1, 3, 4, 5, 8, 11, 17}) {
          float[] x = vector(n * in);
          int firstPanel = q.panels() / 2;
          int from = firstPanel * PanelMatrix.WIDTH;
          float[] want = new float[n * out];
          Kernels.scalar().linearPanels(exactly, bias, x, n, want, firstPanel, q.panels());
          for (Kernels k : new Kernels[] {Kernels.vector(), Kernels.scalar()}) {
            float[] y = new float[n * out];
            k.linearInt8(q, bias, x, n, y, firstPanel, q.panels());
            assertArrayEquals(want, y, k + " " + dtype + " " + in + "x" + out + " n=" + n);
            for (int r = 0; r < n; r++) {
              for (int o = 0; o < out; o++) {
                double exact = o >= from ? bias[o] : 0;
                double magnitude = Math.abs(exact);
                for (int i = 0; o >= from && i < in; i++) {
                  double term = (double) x[r * in + i] * q.get(o, i);
                  exact += term;
                  magnitude += Math.abs(term);
                }
                assertEquals(
                    exact,
                    y[r * out + o],
                    1e-6 * magnitude + 1e-6,
                    k + " " + dtype + " " + in + "x" + out + " n=" + n + " at " + r + "," + o);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void vectorF16WideningIsExactForEveryBitPattern() {
    ByteBuffer b = ByteBuffer.allocate(65536 * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int h = 0; h < 65536; h++) {
      b.putShort((short) h);
    }
    WeightMatrix all =
        new WeightMatrix("all", MemorySegment.ofArray(b.array()), DType.F16, 1, 65536);
    float[] y = new float[65536];
    Kernels.vector().axpy(all, 0, 0, 65536, 1f, y, 0);
    for (int h = 0; h < 65536; h++) {
      float expected = Float.float16ToFloat((short) h);
      if (Float.isNaN(expected)) {
        assertTrue(Float.isNaN(y[h]), "NaN pattern " + Integer.toHexString(h));
      } else {
        assertEquals(
            Float.floatToIntBits(expected + 0f),
            Float.floatToIntBits(y[h]),
            "pattern " + Integer.toHexString(h));
      }
    }
  }

  @Test
  void arrayDotAndScaleAddAgree() {
    for (int n : new int[] {1, 5, 8, 13, 64, 99}) {
      float[] a = vector(n + 3);
      float[] x = vector(n + 3);
      assertEquals(
          Kernels.scalar().dot(a, 3, x, 3, n), Kernels.vector().dot(a, 3, x, 3, n), 1e-5 * n);
      float[] ys = vector(n);
      float[] yv = ys.clone();
      Kernels.scalar().scaleAdd(0.3f, ys, 0, -1.25f, x, 3, n);
      Kernels.vector().scaleAdd(0.3f, yv, 0, -1.25f, x, 3, n);
      for (int i = 0; i < n; i++) {
        assertEquals(ys[i], yv[i], 1e-6f);
      }
    }
  }

  @Test
  void bothLinearLayoutsComputeTheSameProduct() {
    int in = 37;
    int out = 150;
    int rows = 3;
    float[] w = vector(out * in); // [out, in]
    float[] transposed = new float[in * out];
    for (int o = 0; o < out; o++) {
      for (int i = 0; i < in; i++) {
        transposed[i * out + o] = w[o * in + i];
      }
    }
    float[] bias = vector(out);
    Linear outIn = new Linear(WeightMatrix.ofFloats("w", w, out, in), bias, Linear.Layout.OUT_IN);
    Linear inOut =
        new Linear(WeightMatrix.ofFloats("wt", transposed, in, out), bias, Linear.Layout.IN_OUT);
    float[] x = vector(rows * in);
    for (Kernels k : new Kernels[] {Kernels.vector(), Kernels.scalar()}) {
      float[] a = new float[rows * out];
      float[] b = new float[rows * out];
      outIn.forward(x, rows, a, k, WorkerPool.shared());
      inOut.forward(x, rows, b, k, new WorkerPool(3));
      for (int r = 0; r < rows; r++) {
        for (int o = 0; o < out; o++) {
          double exact = bias[o];
          for (int i = 0; i < in; i++) {
            exact += (double) x[r * in + i] * w[o * in + i];
          }
          assertEquals(exact, a[r * out + o], 1e-4, k + " OUT_IN");
          assertEquals(exact, b[r * out + o], 1e-4, k + " IN_OUT");
        }
      }
    }
  }

  @Test
  void decodeAttentionMatchesDoublePrecisionAtOddHeadSizesAndLengths() {
    int lanes = VectorKernels.lanes();
    for (int d : new int[] {lanes, lanes + 3, 4 * lanes, 4 * lanes + 5, 64}) {
      for (int length : new int[] {1, 3, lanes - 1, lanes, lanes + 1, 63, 65, 200}) {
        int heads = 3;
        int head = 1;
        int stride = d; // head-major, as GPT-2's KV cache: head h starts at h * capacity * d
        int capacity = length + 2;
        int headOff = head * capacity * d;
        float[] q = vector(d + 1);
        float[] keys = vector(heads * capacity * d);
        float[] values = vector(heads * capacity * d);
        for (int i = 0; i < keys.length; i++) {
          keys[i] *= 4; // sharp scores
        }
        float scale = 0.3f;
        double[] scores = new double[length];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < length; j++) {
          for (int i = 0; i < d; i++) {
            scores[j] += (double) q[1 + i] * keys[j * stride + headOff + i];
          }
          scores[j] *= scale;
          max = Math.max(max, scores[j]);
        }
        double sum = 0;
        double[] expected = new double[d];
        double[] magnitude = new double[d];
        for (int j = 0; j < length; j++) {
          double p = Math.exp(scores[j] - max);
          sum += p;
          for (int i = 0; i < d; i++) {
            expected[i] += p * values[j * stride + headOff + i];
            magnitude[i] += p * Math.abs(values[j * stride + headOff + i]);
          }
        }
        float[] out = vector(d + 3); // stale contents must be overwritten
        float[] before = out.clone();
        DecodeAttention.attend(q, 1, keys, values, stride, headOff, length, scale, d, out, 2);
        String where = "d=" + d + " length=" + length;
        assertEquals(before[0], out[0], where + " before the output");
        assertEquals(before[d + 2], out[d + 2], where + " after the output");
        for (int i = 0; i < d; i++) {
          assertEquals(
              expected[i] / sum, out[2 + i], 2e-6 * magnitude[i] / sum + 1e-7, where + " " + i);
        }
      }
    }
  }

  @Test
  void onlineSoftmaxAttentionEqualsTheTwoPassFormula() {
    int d = 16;
    int length = 40;
    float[] q = vector(d);
    float[] keys = vector(length * d);
    float[] values = vector(length * d);
    for (int i = 0; i < keys.length; i++) {
      keys[i] *= 3; // sharp scores, so the running maximum moves
    }
    boolean[] keep = new boolean[length];
    for (int j = 0; j < length; j++) {
      keep[j] = j % 3 != 1;
    }
    float scale = 0.25f;
    double[] scores = new double[length];
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < length; j++) {
      if (keep[j]) {
        for (int i = 0; i < d; i++) {
          scores[j] += (double) q[i] * keys[j * d + i];
        }
        scores[j] *= scale;
        max = Math.max(max, scores[j]);
      }
    }
    double sum = 0;
    double[] expected = new double[d];
    for (int j = 0; j < length; j++) {
      if (keep[j]) {
        double p = Math.exp(scores[j] - max);
        sum += p;
        for (int i = 0; i < d; i++) {
          expected[i] += p * values[j * d + i];
        }
      }
    }
    for (Kernels k : new Kernels[] {Kernels.vector(), Kernels.scalar()}) {
      float[] out = new float[d + 2];
      Attention.attend(q, 0, keys, values, d, 0, length, keep, 0, scale, d, out, 2, k);
      for (int i = 0; i < d; i++) {
        assertEquals(expected[i] / sum, out[2 + i], 1e-5, k + " output " + i);
      }
      boolean[] none = new boolean[length];
      Attention.attend(q, 0, keys, values, d, 0, length, none, 0, scale, d, out, 2, k);
      assertEquals(0f, out[2], "no key kept gives zeros");
    }
  }

  @Test
  void erfMatchesKnownValuesWithinItsBound() {
    double[][] known = {
      {0, 0},
      {0.5, 0.5204998778130465},
      {1, 0.8427007929497149},
      {2, 0.9953222650189527},
      {-1.5, -0.9661051464753108},
      {3.5, 0.9999992569016276},
      {6, 1}
    };
    for (double[] k : known) {
      assertEquals(k[1], Activation.erf(k[0]), 1.5e-7, "erf(" + k[0] + ")");
    }
    assertEquals(0.8413447460685429 * 1.0, Activation.GELU.apply(1f), 2e-7);
    assertEquals(0.8411919906082768, Activation.GELU_NEW.apply(1f), 2e-7);
  }

  @Test
  void workerPoolCoversTheRangeOnceAndRethrows() {
    WorkerPool pool = new WorkerPool(3);
    for (int count : new int[] {1, 5, 64, 1000, 4097}) {
      int[] hits = new int[count];
      pool.parallelFor(
          count,
          7,
          (from, to) -> {
            for (int i = from; i < to; i++) {
              hits[i]++;
            }
          });
      for (int i = 0; i < count; i++) {
        assertEquals(1, hits[i], "index " + i + " of " + count);
      }
    }
    AtomicLong nested = new AtomicLong();
    pool.parallelFor(
        8, 1, (from, to) -> pool.parallelFor(10, 1, (a, b) -> nested.addAndGet(b - a)));
    assertEquals(80, nested.get(), "nested jobs run inline");
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                pool.parallelFor(
                    100,
                    1,
                    (from, to) -> {
                      if (from == 50) {
                        throw new IllegalStateException("boom");
                      }
                    }));
    assertEquals("boom", e.getMessage());
    pool.parallelFor(10, 1, (from, to) -> {}); // still usable after a failure
  }

  @Test
  void workerPoolRunsBackToBackAndAfterIdleJobsExactlyOnce() throws InterruptedException {
    WorkerPool pool = new WorkerPool(2);
    AtomicLong sum = new AtomicLong();
    long expected = 0;
    for (int job = 0; job < 3000; job++) {
      // Mostly back to back (workers polling), sometimes after a pause long enough to park them.
      if (job % 500 == 499) {
        Thread.sleep(5);
      }
      int count = 1 + job % 37;
      pool.parallelFor(
          count,
          1,
          (from, to) -> {
            for (int i = from; i < to; i++) {
              sum.addAndGet(i + 1);
            }
          });
      expected += (long) count * (count + 1) / 2;
      assertEquals(expected, sum.get(), "after job " + job);
    }
  }
}
