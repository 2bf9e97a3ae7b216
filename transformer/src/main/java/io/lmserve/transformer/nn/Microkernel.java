package io.lmserve.transformer.nn;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tile both matrix products end in: {@code tile[m·WIDTH + j] = Σ_i b[rows[m] + i] ·
 * a[aBase + i·aStride + j]} for {@link #ROWS} broadcast rows {@code m} and one to three vectors of
 * {@code j}. Per step of {@code i}, up to three vector loads and eight broadcasts feed up to
 * twenty-four FMAs whose accumulators never leave registers (24 of AVX-512's 32; narrower machines
 * spill a few, which only costs speed). Each lane sums its products in index order with fused
 * multiply-adds, so a result does not depend on which tile or thread computed it.
 */
final class Microkernel {

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  static final int L = F.length();

  /** Broadcast rows per tile. */
  static final int ROWS = 8;

  /** Vector lanes per tile at most: three vectors. */
  static final int WIDTH = 3 * L;

  private static final ValueLayout.OfFloat F32_LE =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private Microkernel() {}

  // Stores are written out rather than called: a helper taking the accumulators as arguments
  // did not always inline, which made C2 box every vector.

  /**
   * Fills {@code tile[m·WIDTH, m·WIDTH + vectors·L)} for {@code m < ROWS}; {@code rows} holds the
   * eight start offsets into {@code b} (repeat one to pad a short tile), {@code vectors} is 1-3.
   */
  static void multiply(
      int vectors, float[] a, int aBase, int aStride, float[] b, int[] rows, int k, float[] tile) {
    switch (vectors) {
      case 3 -> tile8x3(a, aBase, aStride, b, rows, k, tile);
      case 2 -> tile8x2(a, aBase, aStride, b, rows, k, tile);
      case 1 -> tile8x1(a, aBase, aStride, b, rows, k, tile);
      default -> throw new IllegalArgumentException("vectors " + vectors);
    }
  }

  private static void tile8x3(
      float[] a, int aBase, int aStride, float[] b, int[] rows, int k, float[] tile) {
    int b0 = rows[0], b1 = rows[1], b2 = rows[2], b3 = rows[3];
    int b4 = rows[4], b5 = rows[5], b6 = rows[6], b7 = rows[7];
    FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00;
    FloatVector c10 = c00, c11 = c00, c12 = c00;
    FloatVector c20 = c00, c21 = c00, c22 = c00;
    FloatVector c30 = c00, c31 = c00, c32 = c00;
    FloatVector c40 = c00, c41 = c00, c42 = c00;
    FloatVector c50 = c00, c51 = c00, c52 = c00;
    FloatVector c60 = c00, c61 = c00, c62 = c00;
    FloatVector c70 = c00, c71 = c00, c72 = c00;
    for (int i = 0, p = aBase; i < k; i++, p += aStride) {
      FloatVector v0 = FloatVector.fromArray(F, a, p);
      FloatVector v1 = FloatVector.fromArray(F, a, p + L);
      FloatVector v2 = FloatVector.fromArray(F, a, p + 2 * L);
      FloatVector s = FloatVector.broadcast(F, b[b0 + i]);
      c00 = v0.fma(s, c00);
      c01 = v1.fma(s, c01);
      c02 = v2.fma(s, c02);
      s = FloatVector.broadcast(F, b[b1 + i]);
      c10 = v0.fma(s, c10);
      c11 = v1.fma(s, c11);
      c12 = v2.fma(s, c12);
      s = FloatVector.broadcast(F, b[b2 + i]);
      c20 = v0.fma(s, c20);
      c21 = v1.fma(s, c21);
      c22 = v2.fma(s, c22);
      s = FloatVector.broadcast(F, b[b3 + i]);
      c30 = v0.fma(s, c30);
      c31 = v1.fma(s, c31);
      c32 = v2.fma(s, c32);
      s = FloatVector.broadcast(F, b[b4 + i]);
      c40 = v0.fma(s, c40);
      c41 = v1.fma(s, c41);
      c42 = v2.fma(s, c42);
      s = FloatVector.broadcast(F, b[b5 + i]);
      c50 = v0.fma(s, c50);
      c51 = v1.fma(s, c51);
      c52 = v2.fma(s, c52);
      s = FloatVector.broadcast(F, b[b6 + i]);
      c60 = v0.fma(s, c60);
      c61 = v1.fma(s, c61);
      c62 = v2.fma(s, c62);
      s = FloatVector.broadcast(F, b[b7 + i]);
      c70 = v0.fma(s, c70);
      c71 = v1.fma(s, c71);
      c72 = v2.fma(s, c72);
    }
    c00.intoArray(tile, 0 * WIDTH);
    c01.intoArray(tile, 0 * WIDTH + L);
    c02.intoArray(tile, 0 * WIDTH + 2 * L);
    c10.intoArray(tile, 1 * WIDTH);
    c11.intoArray(tile, 1 * WIDTH + L);
    c12.intoArray(tile, 1 * WIDTH + 2 * L);
    c20.intoArray(tile, 2 * WIDTH);
    c21.intoArray(tile, 2 * WIDTH + L);
    c22.intoArray(tile, 2 * WIDTH + 2 * L);
    c30.intoArray(tile, 3 * WIDTH);
    c31.intoArray(tile, 3 * WIDTH + L);
    c32.intoArray(tile, 3 * WIDTH + 2 * L);
    c40.intoArray(tile, 4 * WIDTH);
    c41.intoArray(tile, 4 * WIDTH + L);
    c42.intoArray(tile, 4 * WIDTH + 2 * L);
    c50.intoArray(tile, 5 * WIDTH);
    c51.intoArray(tile, 5 * WIDTH + L);
    c52.intoArray(tile, 5 * WIDTH + 2 * L);
    c60.intoArray(tile, 6 * WIDTH);
    c61.intoArray(tile, 6 * WIDTH + L);
    c62.intoArray(tile, 6 * WIDTH + 2 * L);
    c70.intoArray(tile, 7 * WIDTH);
    c71.intoArray(tile, 7 * WIDTH + L);
    c72.intoArray(tile, 7 * WIDTH + 2 * L);
  }

  /**
   * {@link #multiply} with three vectors that also copies F32 data {@code dst[from, to)} from
   * {@code src} (element e at byte {@code srcOff + 4e}), a vector every few steps of the loop: the
   * next tile's weights arrive from memory while this one's FMAs run, where a separate copy left
   * the core waiting on memory (18 % of a 128-row BERT sequence on one thread).
   */
  static void multiplyFetching(
      float[] a,
      int aBase,
      int aStride,
      float[] b,
      int[] rows,
      int k,
      float[] tile,
      MemorySegment src,
      long srcOff,
      float[] dst,
      int from,
      int to) {
    int b0 = rows[0], b1 = rows[1], b2 = rows[2], b3 = rows[3];
    int b4 = rows[4], b5 = rows[5], b6 = rows[6], b7 = rows[7];
    FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00;
    FloatVector c10 = c00, c11 = c00, c12 = c00;
    FloatVector c20 = c00, c21 = c00, c22 = c00;
    FloatVector c30 = c00, c31 = c00, c32 = c00;
    FloatVector c40 = c00, c41 = c00, c42 = c00;
    FloatVector c50 = c00, c51 = c00, c52 = c00;
    FloatVector c60 = c00, c61 = c00, c62 = c00;
    FloatVector c70 = c00, c71 = c00, c72 = c00;
    int f = from;
    int lastVector = to - L;
    // Spread the copy over the loop: a vector every `every` steps keeps few loads in flight at
    // once, so the prefetchers stay ahead of them.
    int every = Math.max(1, k / Math.max(1, (to - from) / L));
    for (int i = 0, p = aBase, wait = 0; i < k; i++, p += aStride) {
      if (--wait <= 0 && f <= lastVector) {
        FloatVector.fromMemorySegment(F, src, srcOff + 4L * f, ByteOrder.LITTLE_ENDIAN)
            .intoArray(dst, f);
        f += L;
        wait = every;
      }
      FloatVector v0 = FloatVector.fromArray(F, a, p);
      FloatVector v1 = FloatVector.fromArray(F, a, p + L);
      FloatVector v2 = FloatVector.fromArray(F, a, p + 2 * L);
      FloatVector s = FloatVector.broadcast(F, b[b0 + i]);
      c00 = v0.fma(s, c00);
      c01 = v1.fma(s, c01);
      c02 = v2.fma(s, c02);
      s = FloatVector.broadcast(F, b[b1 + i]);
      c10 = v0.fma(s, c10);
      c11 = v1.fma(s, c11);
      c12 = v2.fma(s, c12);
      s = FloatVector.broadcast(F, b[b2 + i]);
      c20 = v0.fma(s, c20);
      c21 = v1.fma(s, c21);
      c22 = v2.fma(s, c22);
      s = FloatVector.broadcast(F, b[b3 + i]);
      c30 = v0.fma(s, c30);
      c31 = v1.fma(s, c31);
      c32 = v2.fma(s, c32);
      s = FloatVector.broadcast(F, b[b4 + i]);
      c40 = v0.fma(s, c40);
      c41 = v1.fma(s, c41);
      c42 = v2.fma(s, c42);
      s = FloatVector.broadcast(F, b[b5 + i]);
      c50 = v0.fma(s, c50);
      c51 = v1.fma(s, c51);
      c52 = v2.fma(s, c52);
      s = FloatVector.broadcast(F, b[b6 + i]);
      c60 = v0.fma(s, c60);
      c61 = v1.fma(s, c61);
      c62 = v2.fma(s, c62);
      s = FloatVector.broadcast(F, b[b7 + i]);
      c70 = v0.fma(s, c70);
      c71 = v1.fma(s, c71);
      c72 = v2.fma(s, c72);
    }
    for (; f < to; f++) {
      dst[f] = src.get(F32_LE, srcOff + 4L * f);
    }
    c00.intoArray(tile, 0 * WIDTH);
    c01.intoArray(tile, 0 * WIDTH + L);
    c02.intoArray(tile, 0 * WIDTH + 2 * L);
    c10.intoArray(tile, 1 * WIDTH);
    c11.intoArray(tile, 1 * WIDTH + L);
    c12.intoArray(tile, 1 * WIDTH + 2 * L);
    c20.intoArray(tile, 2 * WIDTH);
    c21.intoArray(tile, 2 * WIDTH + L);
    c22.intoArray(tile, 2 * WIDTH + 2 * L);
    c30.intoArray(tile, 3 * WIDTH);
    c31.intoArray(tile, 3 * WIDTH + L);
    c32.intoArray(tile, 3 * WIDTH + 2 * L);
    c40.intoArray(tile, 4 * WIDTH);
    c41.intoArray(tile, 4 * WIDTH + L);
    c42.intoArray(tile, 4 * WIDTH + 2 * L);
    c50.intoArray(tile, 5 * WIDTH);
    c51.intoArray(tile, 5 * WIDTH + L);
    c52.intoArray(tile, 5 * WIDTH + 2 * L);
    c60.intoArray(tile, 6 * WIDTH);
    c61.intoArray(tile, 6 * WIDTH + L);
    c62.intoArray(tile, 6 * WIDTH + 2 * L);
    c70.intoArray(tile, 7 * WIDTH);
    c71.intoArray(tile, 7 * WIDTH + L);
    c72.intoArray(tile, 7 * WIDTH + 2 * L);
  }

  private static void tile8x2(
      float[] a, int aBase, int aStride, float[] b, int[] rows, int k, float[] tile) {
    int b0 = rows[0], b1 = rows[1], b2 = rows[2], b3 = rows[3];
    int b4 = rows[4], b5 = rows[5], b6 = rows[6], b7 = rows[7];
    FloatVector c00 = FloatVector.zero(F), c01 = c00;
    FloatVector c10 = c00, c11 = c00;
    FloatVector c20 = c00, c21 = c00;
    FloatVector c30 = c00, c31 = c00;
    FloatVector c40 = c00, c41 = c00;
    FloatVector c50 = c00, c51 = c00;
    FloatVector c60 = c00, c61 = c00;
    FloatVector c70 = c00, c71 = c00;
    for (int i = 0, p = aBase; i < k; i++, p += aStride) {
      FloatVector v0 = FloatVector.fromArray(F, a, p);
      FloatVector v1 = FloatVector.fromArray(F, a, p + L);
      FloatVector s = FloatVector.broadcast(F, b[b0 + i]);
      c00 = v0.fma(s, c00);
      c01 = v1.fma(s, c01);
      s = FloatVector.broadcast(F, b[b1 + i]);
      c10 = v0.fma(s, c10);
      c11 = v1.fma(s, c11);
      s = FloatVector.broadcast(F, b[b2 + i]);
      c20 = v0.fma(s, c20);
      c21 = v1.fma(s, c21);
      s = FloatVector.broadcast(F, b[b3 + i]);
      c30 = v0.fma(s, c30);
      c31 = v1.fma(s, c31);
      s = FloatVector.broadcast(F, b[b4 + i]);
      c40 = v0.fma(s, c40);
      c41 = v1.fma(s, c41);
      s = FloatVector.broadcast(F, b[b5 + i]);
      c50 = v0.fma(s, c50);
      c51 = v1.fma(s, c51);
      s = FloatVector.broadcast(F, b[b6 + i]);
      c60 = v0.fma(s, c60);
      c61 = v1.fma(s, c61);
      s = FloatVector.broadcast(F, b[b7 + i]);
      c70 = v0.fma(s, c70);
      c71 = v1.fma(s, c71);
    }
    c00.intoArray(tile, 0 * WIDTH);
    c01.intoArray(tile, 0 * WIDTH + L);
    c10.intoArray(tile, 1 * WIDTH);
    c11.intoArray(tile, 1 * WIDTH + L);
    c20.intoArray(tile, 2 * WIDTH);
    c21.intoArray(tile, 2 * WIDTH + L);
    c30.intoArray(tile, 3 * WIDTH);
    c31.intoArray(tile, 3 * WIDTH + L);
    c40.intoArray(tile, 4 * WIDTH);
    c41.intoArray(tile, 4 * WIDTH + L);
    c50.intoArray(tile, 5 * WIDTH);
    c51.intoArray(tile, 5 * WIDTH + L);
    c60.intoArray(tile, 6 * WIDTH);
    c61.intoArray(tile, 6 * WIDTH + L);
    c70.intoArray(tile, 7 * WIDTH);
    c71.intoArray(tile, 7 * WIDTH + L);
  }

  private static void tile8x1(
      float[] a, int aBase, int aStride, float[] b, int[] rows, int k, float[] tile) {
    int b0 = rows[0], b1 = rows[1], b2 = rows[2], b3 = rows[3];
    int b4 = rows[4], b5 = rows[5], b6 = rows[6], b7 = rows[7];
    FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
    FloatVector c4 = c0, c5 = c0, c6 = c0, c7 = c0;
    for (int i = 0, p = aBase; i < k; i++, p += aStride) {
      FloatVector v = FloatVector.fromArray(F, a, p);
      c0 = v.fma(FloatVector.broadcast(F, b[b0 + i]), c0);
      c1 = v.fma(FloatVector.broadcast(F, b[b1 + i]), c1);
      c2 = v.fma(FloatVector.broadcast(F, b[b2 + i]), c2);
      c3 = v.fma(FloatVector.broadcast(F, b[b3 + i]), c3);
      c4 = v.fma(FloatVector.broadcast(F, b[b4 + i]), c4);
      c5 = v.fma(FloatVector.broadcast(F, b[b5 + i]), c5);
      c6 = v.fma(FloatVector.broadcast(F, b[b6 + i]), c6);
      c7 = v.fma(FloatVector.broadcast(F, b[b7 + i]), c7);
    }
    c0.intoArray(tile, 0);
    c1.intoArray(tile, WIDTH);
    c2.intoArray(tile, 2 * WIDTH);
    c3.intoArray(tile, 3 * WIDTH);
    c4.intoArray(tile, 4 * WIDTH);
    c5.intoArray(tile, 5 * WIDTH);
    c6.intoArray(tile, 6 * WIDTH);
    c7.intoArray(tile, 7 * WIDTH);
  }
}
