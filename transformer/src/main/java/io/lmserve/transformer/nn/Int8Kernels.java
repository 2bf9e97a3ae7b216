package io.lmserve.transformer.nn;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector products with {@link Int8Matrix} weights: int8 lanes are widened to float in registers
 * (one vector of bytes per vector of floats), multiplied with the inputs block by block, and each
 * block's sum is scaled once. Four or more input rows dequantize three weight rows at a time into a
 * small float buffer and run {@link TiledMatmul}'s 4x3 tile over it, so the widening is paid once
 * per weight, not once per input row.
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

  private static final ThreadLocal<float[]> ROWS = ThreadLocal.withInitial(() -> new float[0]);

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
    float[] rows = ROWS.get();
    if (rows.length < 3 * in) {
      rows = new float[3 * in];
      ROWS.set(rows);
    }
    MemorySegment seg = MemorySegment.ofArray(rows);
    for (int o = from; o < to; o += 3) {
      int count = Math.min(3, to - o);
      for (int k = 0; k < count; k++) {
        w.dequantizeRow(o + k, rows, k * in);
      }
      TiledMatmul.rows(seg, count, in, x, n, y, o, out);
      for (int r = 0; r < n; r++) {
        for (int k = 0; k < count; k++) {
          y[r * out + o + k] += bias == null ? 0f : bias[o + k];
        }
      }
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
    float sum = acc.reduceLanes(VectorOperators.ADD);
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
