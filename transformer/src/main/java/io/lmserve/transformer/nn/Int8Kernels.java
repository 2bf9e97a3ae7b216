package io.lmserve.transformer.nn;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Decode-sized products with {@link Int8Matrix} weights, panel by panel like {@link PanelTile}:
 * each vector of int8 weights is widened to float in registers and multiplied by its block's scales
 * once, then feeds one FMA per row of x (one row: three chains; up to eight: the 8 × 3 tile). Every
 * weight byte is read once per step. Many rows dequantize a panel at a time into {@link
 * TiledMatmul}'s buffer instead.
 */
final class Int8Kernels {

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int L = F.length();
  private static final int ROWS = Microkernel.ROWS;
  private static final int WIDTH = PanelMatrix.WIDTH;

  /**
   * Bytes widened to one float vector; null when no byte vector is that narrow (or blocks split).
   */
  private static final VectorSpecies<Byte> B =
      L * 8 >= 64 && Int8Matrix.BLOCK % L == 0
          ? VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8))
          : null;

  private Int8Kernels() {}

  /** False when this machine's vectors cannot take the int8 path (the scalar default runs). */
  static boolean supported() {
    return B != null;
  }

  /**
   * {@link Kernels#linearInt8} for one row of x over panels {@code [p0, p1)}; a separate compiled
   * loop from {@link #batch} for the reason given at {@link PanelTile#single}.
   */
  static void single(Int8Matrix w, float[] bias, float[] x, float[] y, int p0, int p1) {
    for (int p = p0; p < p1; p++) {
      if (w.width(p) == WIDTH) {
        tile1x3(w, p, x, y);
      } else {
        narrow(w, p, x, 1, y);
      }
      PanelTile.addBias(bias, 1, w.rows(), y, p * WIDTH, w.width(p));
    }
  }

  /** {@link Kernels#linearInt8} for up to eight rows of x over panels {@code [p0, p1)}. */
  static void batch(Int8Matrix w, float[] bias, float[] x, int n, float[] y, int p0, int p1) {
    for (int p = p0; p < p1; p++) {
      if (w.width(p) == WIDTH) {
        for (int g = 0; g < n; g += ROWS) {
          tile8x3(w, p, x, g, Math.min(ROWS, n - g), y);
        }
      } else {
        narrow(w, p, x, n, y);
      }
      PanelTile.addBias(bias, n, w.rows(), y, p * WIDTH, w.width(p));
    }
  }

  private static void tile1x3(Int8Matrix w, int p, float[] x, float[] y) {
    byte[] values = w.values;
    float[] scales = w.scales;
    int in = w.cols();
    int at = w.valueBase(p);
    int scaleAt = w.scaleBase(p);
    FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0;
    for (int i0 = 0; i0 < in; i0 += Int8Matrix.BLOCK, scaleAt += WIDTH) {
      FloatVector s0 = FloatVector.fromArray(F, scales, scaleAt);
      FloatVector s1 = FloatVector.fromArray(F, scales, scaleAt + L);
      FloatVector s2 = FloatVector.fromArray(F, scales, scaleAt + 2 * L);
      int i1 = Math.min(in, i0 + Int8Matrix.BLOCK);
      for (int i = i0; i < i1; i++, at += WIDTH) {
        FloatVector s = FloatVector.broadcast(F, x[i]);
        a0 = widen(values, at).mul(s0).fma(s, a0);
        a1 = widen(values, at + L).mul(s1).fma(s, a1);
        a2 = widen(values, at + 2 * L).mul(s2).fma(s, a2);
      }
    }
    int c = p * WIDTH;
    a0.intoArray(y, c);
    a1.intoArray(y, c + L);
    a2.intoArray(y, c + 2 * L);
  }

  // The tile is written out: a helper taking the accumulators as arguments did not always inline
  // (see Microkernel), which made C2 box every vector.

  /** Rows {@code [g, g + count)} of x, {@code count ≤ 8} (a short group repeats its last row). */
  private static void tile8x3(Int8Matrix w, int p, float[] x, int g, int count, float[] y) {
    byte[] values = w.values;
    float[] scales = w.scales;
    int in = w.cols();
    int out = w.rows();
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
    int at = w.valueBase(p);
    int scaleAt = w.scaleBase(p);
    for (int i0 = 0; i0 < in; i0 += Int8Matrix.BLOCK, scaleAt += WIDTH) {
      FloatVector s0 = FloatVector.fromArray(F, scales, scaleAt);
      FloatVector s1 = FloatVector.fromArray(F, scales, scaleAt + L);
      FloatVector s2 = FloatVector.fromArray(F, scales, scaleAt + 2 * L);
      int i1 = Math.min(in, i0 + Int8Matrix.BLOCK);
      for (int i = i0; i < i1; i++, at += WIDTH) {
        FloatVector v0 = widen(values, at).mul(s0);
        FloatVector v1 = widen(values, at + L).mul(s1);
        FloatVector v2 = widen(values, at + 2 * L).mul(s2);
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
    }
    int q = g * out + p * WIDTH;
    c00.intoArray(y, q);
    c01.intoArray(y, q + L);
    c02.intoArray(y, q + 2 * L);
    if (count > 1) {
      q += out;
      c10.intoArray(y, q);
      c11.intoArray(y, q + L);
      c12.intoArray(y, q + 2 * L);
    }
    if (count > 2) {
      q += out;
      c20.intoArray(y, q);
      c21.intoArray(y, q + L);
      c22.intoArray(y, q + 2 * L);
    }
    if (count > 3) {
      q += out;
      c30.intoArray(y, q);
      c31.intoArray(y, q + L);
      c32.intoArray(y, q + 2 * L);
    }
    if (count > 4) {
      q += out;
      c40.intoArray(y, q);
      c41.intoArray(y, q + L);
      c42.intoArray(y, q + 2 * L);
    }
    if (count > 5) {
      q += out;
      c50.intoArray(y, q);
      c51.intoArray(y, q + L);
      c52.intoArray(y, q + 2 * L);
    }
    if (count > 6) {
      q += out;
      c60.intoArray(y, q);
      c61.intoArray(y, q + L);
      c62.intoArray(y, q + 2 * L);
    }
    if (count > 7) {
      q += out;
      c70.intoArray(y, q);
      c71.intoArray(y, q + L);
      c72.intoArray(y, q + 2 * L);
    }
  }

  /**
   * The last panel when narrower than three vectors: each output's chain in scalar, the same sum in
   * the same order as a lane of the tiles.
   */
  private static void narrow(Int8Matrix w, int p, float[] x, int n, float[] y) {
    int in = w.cols();
    for (int o = p * WIDTH; o < p * WIDTH + w.width(p); o++) {
      for (int r = 0; r < n; r++) {
        float sum = 0f;
        for (int i = 0; i < in; i++) {
          sum = Math.fma(x[r * in + i], w.get(o, i), sum);
        }
        y[r * w.rows() + o] = sum;
      }
    }
  }

  private static FloatVector widen(byte[] values, int at) {
    return (FloatVector)
        ByteVector.fromArray(B, values, at).convertShape(VectorOperators.B2F, F, 0);
  }
}
