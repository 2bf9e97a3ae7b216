package io.lmserve.transformer.nn;

import io.lmserve.transformer.safetensors.DType;
import io.lmserve.transformer.safetensors.Tensor;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A batched decode's share of an {@code [in, out]} product read as stored ({@link InputSplit}; F32
 * weights take {@link PanelTile} instead) with the partial sums in registers: eight rows of x by
 * three vectors of output columns (24 accumulators), fed by three weight vectors read straight from
 * the mapping and eight broadcasts per stored row. The stored rows of a band are walked in blocks
 * of {@link #K_BLOCK}: the accumulators are loaded from the partial sums at the start of a block
 * and stored at its end, and each block's rows are read front to back as the column tiles advance
 * (a few sequential streams at once). Adding four stored rows at a time into memory-resident
 * partial sums instead (one load, four FMAs and one store per output vector and row) read
 * GPT-2-small's block weights at 6.4-7.8 GB/cpu-s at batch 8; this tile at 9.6-10.7 (one thread,
 * same JVM, interleaved).
 */
final class BandTile {

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int L = F.length();

  /** Rows of x per tile; a smaller batch repeats its last row (computed, never stored). */
  static final int ROWS = 8;

  /**
   * Fewest rows that take this tile: at two rows the padded tile and the row-by-row pass were even
   * (about 10 GB/cpu-s each), at four the tile read 1.2x faster, at eight 1.3x.
   */
  static final int MIN_ROWS = 3;

  /**
   * Stored rows per block: the accumulators are added into the partial sums once per block. 8 to 16
   * measured alike (12 slightly ahead), 32 was 10-15 % slower: its rows are streamed side by side.
   */
  static final int K_BLOCK = 12;

  private BandTile() {}

  /**
   * {@code y[yOff + r·out + c] += Σ_{i ∈ [i0, i1)} x[r·in + i] · w[i, c]} for rows {@code r < n}; w
   * stored {@code [in, out]} in F32, or F16/BF16 when {@link VectorKernels#halfVectors()}.
   */
  static void accumulate(WeightMatrix w, float[] x, int n, int i0, int i1, float[] y, int yOff) {
    MemorySegment seg = w.data();
    DType t = w.dtype();
    int in = w.rows();
    int out = w.cols();
    int wide = out / (3 * L) * (3 * L);
    int vectors = out / L * L;
    for (int g = 0; g < n; g += ROWS) {
      int count = Math.min(ROWS, n - g);
      int yBase = yOff + g * out;
      for (int k0 = i0; k0 < i1; k0 += K_BLOCK) {
        int k1 = Math.min(i1, k0 + K_BLOCK);
        for (int c = 0; c < wide; c += 3 * L) {
          tile8x3(seg, t, in, out, x, g, count, k0, k1, c, y, yBase);
        }
        for (int c = wide; c < vectors; c += L) {
          tile8x1(seg, t, in, out, x, g, count, k0, k1, c, y, yBase);
        }
        for (int r = 0; r < count; r++) {
          int xr = (g + r) * in;
          int yr = yBase + r * out;
          for (int i = k0; i < k1; i++) {
            long elem = (long) i * out;
            for (int c = vectors; c < out; c++) {
              y[yr + c] = Math.fma(x[xr + i], Tensor.readFloat(seg, t, elem + c), y[yr + c]);
            }
          }
        }
      }
    }
  }

  // The tile is written out: a helper taking the accumulators as arguments did not always inline
  // (see Microkernel), which made C2 box every vector.

  private static void tile8x3(
      MemorySegment seg,
      DType t,
      int in,
      int out,
      float[] x,
      int g,
      int count,
      int k0,
      int k1,
      int c,
      float[] y,
      int yBase) {
    int last = g + count - 1;
    int b0 = g * in;
    int b1 = Math.min(g + 1, last) * in;
    int b2 = Math.min(g + 2, last) * in;
    int b3 = Math.min(g + 3, last) * in;
    int b4 = Math.min(g + 4, last) * in;
    int b5 = Math.min(g + 5, last) * in;
    int b6 = Math.min(g + 6, last) * in;
    int b7 = Math.min(g + 7, last) * in;
    long es = t.byteSize();
    long stride = es * out;
    long vb = es * L;
    int p = yBase + c;
    int p0 = p;
    int p1 = p + Math.min(1, count - 1) * out;
    int p2 = p + Math.min(2, count - 1) * out;
    int p3 = p + Math.min(3, count - 1) * out;
    int p4 = p + Math.min(4, count - 1) * out;
    int p5 = p + Math.min(5, count - 1) * out;
    int p6 = p + Math.min(6, count - 1) * out;
    int p7 = p + Math.min(7, count - 1) * out;
    FloatVector c00 = FloatVector.fromArray(F, y, p0);
    FloatVector c01 = FloatVector.fromArray(F, y, p0 + L);
    FloatVector c02 = FloatVector.fromArray(F, y, p0 + 2 * L);
    FloatVector c10 = FloatVector.fromArray(F, y, p1);
    FloatVector c11 = FloatVector.fromArray(F, y, p1 + L);
    FloatVector c12 = FloatVector.fromArray(F, y, p1 + 2 * L);
    FloatVector c20 = FloatVector.fromArray(F, y, p2);
    FloatVector c21 = FloatVector.fromArray(F, y, p2 + L);
    FloatVector c22 = FloatVector.fromArray(F, y, p2 + 2 * L);
    FloatVector c30 = FloatVector.fromArray(F, y, p3);
    FloatVector c31 = FloatVector.fromArray(F, y, p3 + L);
    FloatVector c32 = FloatVector.fromArray(F, y, p3 + 2 * L);
    FloatVector c40 = FloatVector.fromArray(F, y, p4);
    FloatVector c41 = FloatVector.fromArray(F, y, p4 + L);
    FloatVector c42 = FloatVector.fromArray(F, y, p4 + 2 * L);
    FloatVector c50 = FloatVector.fromArray(F, y, p5);
    FloatVector c51 = FloatVector.fromArray(F, y, p5 + L);
    FloatVector c52 = FloatVector.fromArray(F, y, p5 + 2 * L);
    FloatVector c60 = FloatVector.fromArray(F, y, p6);
    FloatVector c61 = FloatVector.fromArray(F, y, p6 + L);
    FloatVector c62 = FloatVector.fromArray(F, y, p6 + 2 * L);
    FloatVector c70 = FloatVector.fromArray(F, y, p7);
    FloatVector c71 = FloatVector.fromArray(F, y, p7 + L);
    FloatVector c72 = FloatVector.fromArray(F, y, p7 + 2 * L);
    long off = stride * k0 + es * c;
    for (int i = k0; i < k1; i++, off += stride) {
      FloatVector v0 = VectorKernels.load(seg, t, off);
      FloatVector v1 = VectorKernels.load(seg, t, off + vb);
      FloatVector v2 = VectorKernels.load(seg, t, off + 2 * vb);
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
    c00.intoArray(y, p0);
    c01.intoArray(y, p0 + L);
    c02.intoArray(y, p0 + 2 * L);
    if (count > 1) {
      c10.intoArray(y, p1);
      c11.intoArray(y, p1 + L);
      c12.intoArray(y, p1 + 2 * L);
    }
    if (count > 2) {
      c20.intoArray(y, p2);
      c21.intoArray(y, p2 + L);
      c22.intoArray(y, p2 + 2 * L);
    }
    if (count > 3) {
      c30.intoArray(y, p3);
      c31.intoArray(y, p3 + L);
      c32.intoArray(y, p3 + 2 * L);
    }
    if (count > 4) {
      c40.intoArray(y, p4);
      c41.intoArray(y, p4 + L);
      c42.intoArray(y, p4 + 2 * L);
    }
    if (count > 5) {
      c50.intoArray(y, p5);
      c51.intoArray(y, p5 + L);
      c52.intoArray(y, p5 + 2 * L);
    }
    if (count > 6) {
      c60.intoArray(y, p6);
      c61.intoArray(y, p6 + L);
      c62.intoArray(y, p6 + 2 * L);
    }
    if (count > 7) {
      c70.intoArray(y, p7);
      c71.intoArray(y, p7 + L);
      c72.intoArray(y, p7 + 2 * L);
    }
  }

  private static void tile8x1(
      MemorySegment seg,
      DType t,
      int in,
      int out,
      float[] x,
      int g,
      int count,
      int k0,
      int k1,
      int c,
      float[] y,
      int yBase) {
    long es = t.byteSize();
    long stride = es * out;
    // Only the last columns of widths that are not a multiple of three vectors come here.
    FloatVector[] acc = new FloatVector[count];
    for (int m = 0; m < count; m++) {
      acc[m] = FloatVector.fromArray(F, y, yBase + m * out + c);
    }
    long off = stride * k0 + es * c;
    for (int i = k0; i < k1; i++, off += stride) {
      FloatVector v = VectorKernels.load(seg, t, off);
      for (int m = 0; m < count; m++) {
        acc[m] = v.fma(FloatVector.broadcast(F, x[(g + m) * in + i]), acc[m]);
      }
    }
    for (int m = 0; m < count; m++) {
      acc[m].intoArray(y, yBase + m * out + c);
    }
  }
}
