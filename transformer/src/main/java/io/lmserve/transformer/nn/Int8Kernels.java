package io.lmserve.transformer.nn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector products with {@link Int8Matrix} weights: int8 lanes are widened to float in registers
 * (one vector of bytes per vector of floats). One to three input rows (decode) sum each block and
 * scale the sum once; 4-15 rows (batched decode) widen and scale each weight vector once per four
 * input rows; 16 or more dequantize three weight rows at a time into a small float buffer and run
 * {@link TiledMatmul}'s 4x3 tile over it, so the widening is paid once per weight.
 */
final class Int8Kernels {

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int L = F.length();

  /**
   * Bytes widened to one float vector; null when no byte vector is that narrow (or blocks split).
   */
  private static final VectorSpecies<Byte> B =
      L * 8 >= 64 && Int8Matrix.BLOCK % L == 0
          ? VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8))
          : null;

  /**
   * Each thread's widened weight rows, in native memory like every other matrix the float tiles
   * read: a heap segment reaching the same vector loads makes the JIT compile them for both kinds
   * of memory, which slowed the float model's decode in the same process (0.7-0.9x).
   */
  private static final ThreadLocal<MemorySegment> ROWS =
      ThreadLocal.withInitial(() -> MemorySegment.NULL);

  private static final ValueLayout.OfFloat F32_LE =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private Int8Kernels() {}

  /** False when this machine's vectors cannot take the int8 path (the scalar default runs). */
  static boolean supported() {
    return B != null;
  }

  static void linear(Int8Matrix w, float[] bias, float[] x, int n, float[] y, int from, int to) {
    int in = w.cols();
    int out = w.rows();
    if (n < VectorKernels.TILED_MIN_ROWS_OUT_IN) {
      for (int o = from; o < to; o++) {
        float b = bias == null ? 0f : bias[o];
        for (int r = 0; r < n; r++) {
          y[r * out + o] = dot(w, o, x, r * in) + b;
        }
      }
      return;
    }
    if (n < DEQUANTIZE_MIN_ROWS) {
      smallBatch(w, bias, x, n, y, from, to);
      return;
    }
    MemorySegment seg = ROWS.get();
    if (seg.byteSize() < 12L * in) {
      seg = Arena.ofAuto().allocate(12L * in, 64);
      ROWS.set(seg);
    }
    for (int o = from; o < to; o += 3) {
      int count = Math.min(3, to - o);
      for (int k = 0; k < count; k++) {
        dequantizeRow(w, o + k, seg, 4L * k * in);
      }
      TiledMatmul.rows(seg, count, in, x, n, y, o, out);
      for (int r = 0; r < n; r++) {
        for (int k = 0; k < count; k++) {
          y[r * out + o + k] += bias == null ? 0f : bias[o + k];
        }
      }
    }
  }

  /**
   * From this many input rows, three weight rows at a time are widened into a float buffer and run
   * through the float tile; below, {@link #smallBatch} widens each weight vector once per four
   * rows.
   */
  static final int DEQUANTIZE_MIN_ROWS = 16;

  /**
   * A few rows (batched decode): two weight rows × four input rows per pass; each weight vector is
   * widened and scaled once, then feeds four FMAs, so nothing but the bytes comes from memory.
   */
  private static void smallBatch(
      Int8Matrix w, float[] bias, float[] x, int n, float[] y, int from, int to) {
    int in = w.cols();
    int out = w.rows();
    int quads = n / 4 * 4;
    int o = from;
    for (; o + 2 <= to; o += 2) {
      for (int r = 0; r < quads; r += 4) {
        dot2x4(w, o, x, r, in, y, out);
      }
      for (int r = quads; r < n; r++) {
        y[r * out + o] = dot(w, o, x, r * in);
        y[r * out + o + 1] = dot(w, o + 1, x, r * in);
      }
    }
    for (; o < to; o++) {
      for (int r = 0; r < n; r++) {
        y[r * out + o] = dot(w, o, x, r * in);
      }
    }
    for (int r = 0; r < n; r++) {
      for (int c = from; bias != null && c < to; c++) {
        y[r * out + c] += bias[c];
      }
    }
  }

  private static void dot2x4(Int8Matrix w, int o, float[] x, int r, int in, float[] y, int out) {
    int at0 = o * in;
    int at1 = at0 + in;
    int s0 = o * w.blocksPerRow();
    int s1 = s0 + w.blocksPerRow();
    int x0 = r * in;
    FloatVector a00 = FloatVector.zero(F);
    FloatVector a01 = FloatVector.zero(F);
    FloatVector a02 = FloatVector.zero(F);
    FloatVector a03 = FloatVector.zero(F);
    FloatVector a10 = FloatVector.zero(F);
    FloatVector a11 = FloatVector.zero(F);
    FloatVector a12 = FloatVector.zero(F);
    FloatVector a13 = FloatVector.zero(F);
    int full = in / Int8Matrix.BLOCK;
    for (int b = 0; b < full; b++) {
      FloatVector scale0 = FloatVector.broadcast(F, w.scales[s0 + b]);
      FloatVector scale1 = FloatVector.broadcast(F, w.scales[s1 + b]);
      for (int c = b * Int8Matrix.BLOCK; c < (b + 1) * Int8Matrix.BLOCK; c += L) {
        FloatVector w0 = widen(w.values, at0 + c).mul(scale0);
        FloatVector w1 = widen(w.values, at1 + c).mul(scale1);
        FloatVector v = FloatVector.fromArray(F, x, x0 + c);
        a00 = w0.fma(v, a00);
        a10 = w1.fma(v, a10);
        v = FloatVector.fromArray(F, x, x0 + in + c);
        a01 = w0.fma(v, a01);
        a11 = w1.fma(v, a11);
        v = FloatVector.fromArray(F, x, x0 + 2 * in + c);
        a02 = w0.fma(v, a02);
        a12 = w1.fma(v, a12);
        v = FloatVector.fromArray(F, x, x0 + 3 * in + c);
        a03 = w0.fma(v, a03);
        a13 = w1.fma(v, a13);
      }
    }
    int yo = r * out + o;
    y[yo] = VectorKernels.sum(a00) + tail(w, o, x, x0);
    y[yo + 1] = VectorKernels.sum(a10) + tail(w, o + 1, x, x0);
    y[yo + out] = VectorKernels.sum(a01) + tail(w, o, x, x0 + in);
    y[yo + out + 1] = VectorKernels.sum(a11) + tail(w, o + 1, x, x0 + in);
    y[yo + 2 * out] = VectorKernels.sum(a02) + tail(w, o, x, x0 + 2 * in);
    y[yo + 2 * out + 1] = VectorKernels.sum(a12) + tail(w, o + 1, x, x0 + 2 * in);
    y[yo + 3 * out] = VectorKernels.sum(a03) + tail(w, o, x, x0 + 3 * in);
    y[yo + 3 * out + 1] = VectorKernels.sum(a13) + tail(w, o + 1, x, x0 + 3 * in);
  }

  private static FloatVector widen(byte[] values, int at) {
    return (FloatVector)
        ByteVector.fromArray(B, values, at).convertShape(VectorOperators.B2F, F, 0);
  }

  /** The partial last block of row {@code row} (inputs past the last full block). */
  private static float tail(Int8Matrix w, int row, float[] x, int xOff) {
    int in = w.cols();
    int full = in / Int8Matrix.BLOCK;
    float block = 0f;
    for (int c = full * Int8Matrix.BLOCK; c < in; c++) {
      block += w.values[row * in + c] * x[xOff + c];
    }
    return full * Int8Matrix.BLOCK < in ? block * w.scales[row * w.blocksPerRow() + full] : 0f;
  }

  /** Row {@code row} as floats into {@code dst[off, off + cols)}, a vector per step. */
  private static void dequantizeRow(Int8Matrix w, int row, MemorySegment dst, long off) {
    int in = w.cols();
    int at = row * in;
    int scaleAt = row * w.blocksPerRow();
    int full = in / Int8Matrix.BLOCK;
    for (int b = 0; b < full; b++) {
      FloatVector scale = FloatVector.broadcast(F, w.scales[scaleAt + b]);
      for (int c = b * Int8Matrix.BLOCK; c < (b + 1) * Int8Matrix.BLOCK; c += L) {
        ((FloatVector)
                ByteVector.fromArray(B, w.values, at + c).convertShape(VectorOperators.B2F, F, 0))
            .mul(scale)
            .intoMemorySegment(dst, off + 4L * c, ByteOrder.LITTLE_ENDIAN);
      }
    }
    for (int c = full * Int8Matrix.BLOCK; c < in; c++) {
      dst.set(F32_LE, off + 4L * c, w.values[at + c] * w.scales[scaleAt + full]);
    }
  }

  /** {@code Σ_c w[row, c] · x[xOff + c]}, block by block. */
  private static float dot(Int8Matrix w, int row, float[] x, int xOff) {
    int in = w.cols();
    int at = row * in;
    int scaleAt = row * w.blocksPerRow();
    int full = in / Int8Matrix.BLOCK;
    FloatVector acc = FloatVector.zero(F);
    for (int b = 0; b < full; b++) {
      int c0 = b * Int8Matrix.BLOCK;
      FloatVector block = FloatVector.zero(F);
      for (int c = c0; c < c0 + Int8Matrix.BLOCK; c += L) {
        FloatVector v =
            (FloatVector)
                ByteVector.fromArray(B, w.values, at + c).convertShape(VectorOperators.B2F, F, 0);
        block = v.fma(FloatVector.fromArray(F, x, xOff + c), block);
      }
      acc = block.fma(FloatVector.broadcast(F, w.scales[scaleAt + b]), acc);
    }
    float sum = VectorKernels.sum(acc);
    if (full * Int8Matrix.BLOCK < in) {
      float block = 0f;
      for (int c = full * Int8Matrix.BLOCK; c < in; c++) {
        block += w.values[at + c] * x[xOff + c];
      }
      sum += block * w.scales[scaleAt + full];
    }
    return sum;
  }
}
