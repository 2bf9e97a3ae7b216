package io.lmserve.transformer.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lmserve.transformer.safetensors.DType;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Column-panel weights: packing in place keeps every element, and the products over them (decode
 * tiles, prefill microkernel, scalar reference) agree with double precision and with each other bit
 * for bit, at widths around the panel and lane edges.
 */
class PanelMatrixTest {

  private static final int W = PanelMatrix.WIDTH;
  private static final int L = Microkernel.L;

  private final Random random = new Random(20261124);

  /** Output widths on both sides of the lane and panel edges, a narrow last panel included. */
  private static int[] widths() {
    return new int[] {1, L - 1, L, L + 3, W - 1, W, W + 1, W + L, 2 * W + L + 5, 5 * W};
  }

  private float[] gaussian(int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return x;
  }

  private static float[] transpose(float[] m, int rows, int cols) {
    float[] t = new float[m.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = m[r * cols + c];
      }
    }
    return t;
  }

  @Test
  void packingInPlaceKeepsEveryElementInBothStoredLayouts() {
    for (int in : new int[] {1, 3, 17}) {
      for (int out : widths()) {
        float[] w = gaussian(in * out); // [in, out]
        float[] stored = transpose(w, in, out); // [out, in]
        MemorySegment memory = MemorySegment.ofArray(stored);
        PanelMatrix p =
            PanelMatrix.packInPlace(new WeightMatrix("w", memory, DType.F32, out, in), true);
        PanelMatrix q = PanelMatrix.of("w", w, in, out);
        assertEquals(memory.address(), p.data().address(), "same memory");
        assertEquals(PanelMatrix.panels(out), p.panels());
        float[] column = new float[in];
        for (int c = 0; c < out; c++) {
          p.readColumn(c, column, 0);
          for (int i = 0; i < in; i++) {
            assertEquals(w[i * out + c], p.get(i, c), 0f, in + "x" + out + " at " + i + "," + c);
            assertEquals(w[i * out + c], q.get(i, c), 0f);
            assertEquals(w[i * out + c], column[i], 0f);
          }
        }
        // The whole matrix back from the other packing's columns.
        float[] back = new float[in * out];
        for (int c = 0; c < out; c++) {
          q.readColumn(c, column, 0);
          for (int i = 0; i < in; i++) {
            back[i * out + c] = column[i];
          }
        }
        assertArrayEquals(w, back, in + "x" + out);
      }
    }
  }

  @Test
  void onlyF32IsPacked() {
    WeightMatrix half = new WeightMatrix("h", MemorySegment.ofArray(new short[6]), DType.F16, 2, 3);
    assertThrows(IllegalArgumentException.class, () -> PanelMatrix.packInPlace(half, false));
  }

  @Test
  void panelProductsMatchDoublePrecisionAndAgreeBitForBitAcrossKernelsAndBatches() {
    WorkerPool pool = new WorkerPool(3);
    int[] rowCounts = {1, 2, 3, 7, 8, 9, 16, 2 * L + 1, 41};
    for (int in : new int[] {1, 5, 64, 131}) {
      for (int out : widths()) {
        float[] w = gaussian(in * out);
        float[] bias = gaussian(out);
        Linear packed =
            Linear.packed(
                WeightMatrix.ofFloats("w", w.clone(), in, out), bias, Linear.Layout.IN_OUT);
        Linear packedOutIn =
            Linear.packed(
                WeightMatrix.ofFloats("w", transpose(w, in, out), out, in),
                bias,
                Linear.Layout.OUT_IN);
        int most = rowCounts[rowCounts.length - 1];
        float[] x = gaussian(most * in);
        float[] all = new float[most * out];
        packed.forward(x, most, all, Kernels.vector(), pool);
        for (int n : rowCounts) {
          float[] vector = new float[n * out];
          float[] scalar = new float[n * out];
          float[] outIn = new float[n * out];
          packed.forward(x, n, vector, Kernels.vector(), pool);
          packed.forward(x, n, scalar, Kernels.scalar(), pool);
          packedOutIn.forward(x, n, outIn, Kernels.vector(), pool);
          String shape = in + "x" + out + " n=" + n;
          assertArrayEquals(scalar, vector, "vector vs scalar " + shape);
          assertArrayEquals(vector, outIn, "packed from [out, in] " + shape);
          // Decode tiles (n <= 8) and the prefill microkernel give a row the same bits.
          assertArrayEquals(
              Arrays.copyOf(all, n * out), vector, "row alone vs in a batch " + shape);
          for (int r = 0; r < n; r++) {
            for (int c = 0; c < out; c++) {
              double exact = bias[c];
              double magnitude = Math.abs(exact);
              for (int i = 0; i < in; i++) {
                double term = (double) x[r * in + i] * w[i * out + c];
                exact += term;
                magnitude += Math.abs(term);
              }
              assertEquals(exact, vector[r * out + c], 1e-6 * magnitude + 1e-7, shape + " " + r);
            }
          }
        }
      }
    }
  }

  @Test
  void int8FromPanelsIsInt8FromTheStoredMatrix() {
    WorkerPool pool = new WorkerPool(2);
    int in = 96;
    int out = 2 * W + L;
    float[] w = gaussian(in * out);
    float[] bias = gaussian(out);
    Linear rowMajor =
        new Linear(WeightMatrix.ofFloats("w", w.clone(), in, out), bias, Linear.Layout.IN_OUT)
            .quantizedInt8(pool);
    Linear packed =
        Linear.packed(WeightMatrix.ofFloats("w", w.clone(), in, out), bias, Linear.Layout.IN_OUT)
            .quantizedInt8(pool);
    assertEquals(rowMajor.weightBytes(), packed.weightBytes());
    for (int n : new int[] {1, 8, 13}) {
      float[] x = gaussian(n * in);
      float[] a = new float[n * out];
      float[] b = new float[n * out];
      rowMajor.forward(x, n, a, Kernels.vector(), pool);
      packed.forward(x, n, b, Kernels.vector(), pool);
      assertArrayEquals(a, b, "n=" + n);
    }
  }
}
