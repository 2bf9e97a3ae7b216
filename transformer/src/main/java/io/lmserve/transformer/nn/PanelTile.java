package io.lmserve.transformer.nn;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A product over a {@link PanelMatrix}, read straight from its memory: each panel is one sequential
 * stream, multiplied into eight rows of x at a time (8 rows × 3 vectors, 24 accumulators, the
 * {@link Microkernel}'s shape) that stay in registers for the whole input; the panel's later groups
 * of rows find it in L2. Every weight is read from memory once per call. Against {@link BandTile}
 * on the row-major matrix (a dozen short streams per K-block, partial sums through memory):
 * GPT-2-small's block products 2.5x faster at batch 8 and 1.15x at batch 1 (medians of 8
 * alternating rounds, one JVM).
 */
final class PanelTile {

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int L = F.length();
  private static final int ROWS = Microkernel.ROWS;
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
  private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);

  private PanelTile() {}

  /**
   * {@link Kernels#linearPanels} for one row of x over panels {@code [p0, p1)}. Batch 1 and the
   * batched tiles are separate compiled loops: with one method for both, a JIT profile taken at
   * batch 1 (a model's first requests) left the batched path 0.7-0.9x as fast for the rest of the
   * run.
   */
  static void single(PanelMatrix w, float[] bias, float[] x, float[] y, int p0, int p1) {
    for (int p = p0; p < p1; p++) {
      int c = p * PanelMatrix.WIDTH;
      if (w.width(p) == 3 * L) {
        tile1x3(w.data(), w.panelOffset(p), w.in(), x, y, c);
      } else {
        narrow(w, p, x, 1, y);
      }
      addBias(bias, 1, w.out(), y, c, w.width(p));
    }
  }

  /** {@link Kernels#linearPanels} for several rows of x, eight at a time. */
  static void batch(PanelMatrix w, float[] bias, float[] x, int n, float[] y, int p0, int p1) {
    for (int p = p0; p < p1; p++) {
      int c = p * PanelMatrix.WIDTH;
      if (w.width(p) == 3 * L) {
        for (int g = 0; g < n; g += ROWS) {
          tile8x3(w.data(), w.panelOffset(p), w.in(), w.out(), x, g, Math.min(ROWS, n - g), y, c);
        }
      } else {
        narrow(w, p, x, n, y);
      }
      addBias(bias, n, w.out(), y, c, w.width(p));
    }
  }

  /** One row of x: three FMA chains, one per vector of the panel. */
  private static void tile1x3(MemorySegment seg, long off, int in, float[] x, float[] y, int c) {
    FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0;
    long step = 4L * 3 * L;
    for (int i = 0; i < in; i++, off += step) {
      FloatVector s = FloatVector.broadcast(F, x[i]);
      a0 = f32(seg, off).fma(s, a0);
      a1 = f32(seg, off + 4L * L).fma(s, a1);
      a2 = f32(seg, off + 8L * L).fma(s, a2);
    }
    a0.intoArray(y, c);
    a1.intoArray(y, c + L);
    a2.intoArray(y, c + 2 * L);
  }

  // The tile is written out: a helper taking the accumulators as arguments did not always inline
  // (see Microkernel), which made C2 box every vector.

  /** Rows {@code [g, g + count)} of x, {@code count ≤ 8} (a short group repeats its last row). */
  private static void tile8x3(
      MemorySegment seg, long off, int in, int out, float[] x, int g, int count, float[] y, int c) {
    int last = g + count - 1;
    int b0 = g * in;
    int b1 = Math.min(g + 1, last) * in;
    int b2 = Math.min(g + 2, last) * in;
    int b3 = Math.min(g + 3, last) * in;
    int b4 = Math.min(g + 4, last) * in;
    int b5 = Math.min(g + 5, last) * in;
    int b6 = Math.min(g + 6, last) * in;
    int b7 = Math.min(g + 7, last) * in;
    FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00;
    FloatVector c10 = c00, c11 = c00, c12 = c00;
    FloatVector c20 = c00, c21 = c00, c22 = c00;
    FloatVector c30 = c00, c31 = c00, c32 = c00;
    FloatVector c40 = c00, c41 = c00, c42 = c00;
    FloatVector c50 = c00, c51 = c00, c52 = c00;
    FloatVector c60 = c00, c61 = c00, c62 = c00;
    FloatVector c70 = c00, c71 = c00, c72 = c00;
    long step = 4L * 3 * L;
    for (int i = 0; i < in; i++, off += step) {
      FloatVector v0 = f32(seg, off);
      FloatVector v1 = f32(seg, off + 4L * L);
      FloatVector v2 = f32(seg, off + 8L * L);
      FloatVector s = FloatVector.broadcast(F, x[b0 + i]);
      c00 = v0.fma(s, c00);
      c01 = v1.fma(s, c01);
      c02 = v2.fma(s, c02);
      s = FloatVector.broadcast(F, x[b1 + i]);
      c10 = v0.fma(s, c10);
      c11 = v1.fma(s, c11);
      c12 = v2.fma(s, c12);
      s = FloatVector.broadcast(F, x[b2 + i]);
      c20 = v0.fma(s, c20);
      c21 = v1.fma(s, c21);
      c22 = v2.fma(s, c22);
      s = FloatVector.broadcast(F, x[b3 + i]);
      c30 = v0.fma(s, c30);
      c31 = v1.fma(s, c31);
      c32 = v2.fma(s, c32);
      s = FloatVector.broadcast(F, x[b4 + i]);
      c40 = v0.fma(s, c40);
      c41 = v1.fma(s, c41);
      c42 = v2.fma(s, c42);
      s = FloatVector.broadcast(F, x[b5 + i]);
      c50 = v0.fma(s, c50);
      c51 = v1.fma(s, c51);
      c52 = v2.fma(s, c52);
      s = FloatVector.broadcast(F, x[b6 + i]);
      c60 = v0.fma(s, c60);
      c61 = v1.fma(s, c61);
      c62 = v2.fma(s, c62);
      s = FloatVector.broadcast(F, x[b7 + i]);
      c70 = v0.fma(s, c70);
      c71 = v1.fma(s, c71);
      c72 = v2.fma(s, c72);
    }
    int p = g * out + c;
    c00.intoArray(y, p);
    c01.intoArray(y, p + L);
    c02.intoArray(y, p + 2 * L);
    if (count > 1) {
      p += out;
      c10.intoArray(y, p);
      c11.intoArray(y, p + L);
      c12.intoArray(y, p + 2 * L);
    }
    if (count > 2) {
      p += out;
      c20.intoArray(y, p);
      c21.intoArray(y, p + L);
      c22.intoArray(y, p + 2 * L);
    }
    if (count > 3) {
      p += out;
      c30.intoArray(y, p);
      c31.intoArray(y, p + L);
      c32.intoArray(y, p + 2 * L);
    }
    if (count > 4) {
      p += out;
      c40.intoArray(y, p);
      c41.intoArray(y, p + L);
      c42.intoArray(y, p + 2 * L);
    }
    if (count > 5) {
      p += out;
      c50.intoArray(y, p);
      c51.intoArray(y, p + L);
      c52.intoArray(y, p + 2 * L);
    }
    if (count > 6) {
      p += out;
      c60.intoArray(y, p);
      c61.intoArray(y, p + L);
      c62.intoArray(y, p + 2 * L);
    }
    if (count > 7) {
      p += out;
      c70.intoArray(y, p);
      c71.intoArray(y, p + L);
      c72.intoArray(y, p + 2 * L);
    }
  }

  /**
   * The last panel when narrower than three vectors (a width that is not a multiple of the panel
   * width): row by row, a vector chain per whole vector of columns and a scalar chain per column
   * left over, each the same sum in the same order as a lane of the tiles.
   */
  private static void narrow(PanelMatrix w, int p, float[] x, int n, float[] y) {
    MemorySegment seg = w.data();
    int in = w.in();
    int width = w.width(p);
    int vectors = width / L * L;
    long base = w.panelOffset(p);
    long stride = 4L * width;
    int c0 = p * PanelMatrix.WIDTH;
    for (int r = 0; r < n; r++) {
      int xr = r * in;
      int yr = r * w.out() + c0;
      for (int j = 0; j < vectors; j += L) {
        FloatVector a = FloatVector.zero(F);
        long off = base + 4L * j;
        for (int i = 0; i < in; i++, off += stride) {
          a = f32(seg, off).fma(FloatVector.broadcast(F, x[xr + i]), a);
        }
        a.intoArray(y, yr + j);
      }
      for (int j = vectors; j < width; j++) {
        float a = 0f;
        long off = base + 4L * j;
        for (int i = 0; i < in; i++, off += stride) {
          a = Math.fma(x[xr + i], seg.get(F32_LE, off), a);
        }
        y[yr + j] = a;
      }
    }
  }

  /** {@code y[r·out + c + j] = bias[c + j] + y[...]} for the panel's columns. */
  static void addBias(float[] bias, int n, int out, float[] y, int c, int width) {
    if (bias == null) {
      return;
    }
    for (int r = 0; r < n; r++) {
      int yr = r * out + c;
      for (int j = 0; j < width; j++) {
        y[yr + j] = bias[c + j] + y[yr + j];
      }
    }
  }

  private static FloatVector f32(MemorySegment seg, long byteOffset) {
    return FloatVector.fromMemorySegment(F, seg, byteOffset, LE);
  }
}
