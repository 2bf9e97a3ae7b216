package io.lmserve.transformer.nn;

import io.lmserve.transformer.safetensors.DType;
import io.lmserve.transformer.safetensors.Tensor;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix × matrix for several input rows (prefill, batched decode, BERT), register-tiled and
 * cache-blocked, with F32, F16 and BF16 weights widened as they are read from the mapping.
 *
 * <ul>
 *   <li>{@code [in, out]} (Conv1D): a panel of {@code 2 × lanes} output columns is copied once,
 *       widened to float and contiguous, into a per-thread buffer; a 4-row × 2-vector block of
 *       outputs then stays in registers while the panel streams through from L1/L2 (two loads and
 *       four broadcasts feed eight FMAs). Copying the panel turns the weight matrix's column walk,
 *       a new cache line and often a new page per input, into one sequential pass.
 *   <li>{@code [out, in]} (nn.Linear, LM heads): four input rows × three stored rows of dot
 *       products in twelve vector accumulators (seven loads feed twelve FMAs), over blocks of 64
 *       input rows so that both the rows and the stored rows of a chunk stay in L2.
 * </ul>
 */
final class TiledMatmul {

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int L = F.length();

  /** Output columns per copied panel. */
  static final int PANEL = 2 * L;

  /** Input rows per block of the {@code [out, in]} kernel. */
  private static final int ROW_BLOCK = 64;

  /** Each worker thread's panel buffer, grown to the largest {@code in × PANEL} seen. */
  private static final ThreadLocal<float[]> PANELS = ThreadLocal.withInitial(() -> new float[0]);

  private TiledMatmul() {}

  /**
   * {@code y[r·out + c] += Σ_i x[r·in + i] · w[i, c]} for rows {@code r < n} and columns {@code
   * [from, to)}, {@code to - from} a multiple of {@link #PANEL}; w stored {@code [in, out]}.
   */
  static void inOut(WeightMatrix w, float[] x, int n, float[] y, int from, int to) {
    int in = w.rows();
    int out = w.cols();
    float[] panel = PANELS.get();
    if (panel.length < in * PANEL) {
      panel = new float[in * PANEL];
      PANELS.set(panel);
    }
    int blocked = n / 4 * 4;
    for (int c = from; c < to; c += PANEL) {
      pack(w, c, panel);
      for (int r = 0; r < blocked; r += 4) {
        panel4x2(panel, in, x, r * in, y, r * out + c, out);
      }
      for (int r = blocked; r < n; r++) {
        panel1x2(panel, in, x, r * in, y, r * out + c);
      }
    }
  }

  /** {@code panel[i·PANEL + j] = w[i, c + j]} as floats. */
  private static void pack(WeightMatrix w, int c, float[] panel) {
    MemorySegment seg = w.data();
    DType t = w.dtype();
    int in = w.rows();
    boolean vectors = t == DType.F32 || VectorKernels.halfVectors();
    for (int i = 0; i < in; i++) {
      long off = w.offset(i, c);
      int p = i * PANEL;
      if (vectors) {
        VectorKernels.load(seg, t, off).intoArray(panel, p);
        VectorKernels.load(seg, t, off + (long) L * t.byteSize()).intoArray(panel, p + L);
      } else {
        long elem = off / t.byteSize();
        for (int j = 0; j < PANEL; j++) {
          panel[p + j] = Tensor.readFloat(seg, t, elem + j);
        }
      }
    }
  }

  private static void panel4x2(
      float[] panel, int in, float[] x, int x0, float[] y, int yOff, int out) {
    FloatVector a00 = FloatVector.fromArray(F, y, yOff);
    FloatVector a01 = FloatVector.fromArray(F, y, yOff + L);
    FloatVector a10 = FloatVector.fromArray(F, y, yOff + out);
    FloatVector a11 = FloatVector.fromArray(F, y, yOff + out + L);
    FloatVector a20 = FloatVector.fromArray(F, y, yOff + 2 * out);
    FloatVector a21 = FloatVector.fromArray(F, y, yOff + 2 * out + L);
    FloatVector a30 = FloatVector.fromArray(F, y, yOff + 3 * out);
    FloatVector a31 = FloatVector.fromArray(F, y, yOff + 3 * out + L);
    int x1 = x0 + in;
    int x2 = x1 + in;
    int x3 = x2 + in;
    for (int i = 0, p = 0; i < in; i++, p += PANEL) {
      FloatVector w0 = FloatVector.fromArray(F, panel, p);
      FloatVector w1 = FloatVector.fromArray(F, panel, p + L);
      FloatVector b = FloatVector.broadcast(F, x[x0 + i]);
      a00 = w0.fma(b, a00);
      a01 = w1.fma(b, a01);
      b = FloatVector.broadcast(F, x[x1 + i]);
      a10 = w0.fma(b, a10);
      a11 = w1.fma(b, a11);
      b = FloatVector.broadcast(F, x[x2 + i]);
      a20 = w0.fma(b, a20);
      a21 = w1.fma(b, a21);
      b = FloatVector.broadcast(F, x[x3 + i]);
      a30 = w0.fma(b, a30);
      a31 = w1.fma(b, a31);
    }
    a00.intoArray(y, yOff);
    a01.intoArray(y, yOff + L);
    a10.intoArray(y, yOff + out);
    a11.intoArray(y, yOff + out + L);
    a20.intoArray(y, yOff + 2 * out);
    a21.intoArray(y, yOff + 2 * out + L);
    a30.intoArray(y, yOff + 3 * out);
    a31.intoArray(y, yOff + 3 * out + L);
  }

  private static void panel1x2(float[] panel, int in, float[] x, int x0, float[] y, int yOff) {
    FloatVector a0 = FloatVector.fromArray(F, y, yOff);
    FloatVector a1 = FloatVector.fromArray(F, y, yOff + L);
    for (int i = 0, p = 0; i < in; i++, p += PANEL) {
      FloatVector b = FloatVector.broadcast(F, x[x0 + i]);
      a0 = FloatVector.fromArray(F, panel, p).fma(b, a0);
      a1 = FloatVector.fromArray(F, panel, p + L).fma(b, a1);
    }
    a0.intoArray(y, yOff);
    a1.intoArray(y, yOff + L);
  }

  /**
   * {@code y[r·out + o] = bias[o] + Σ_i x[r·in + i] · w[o, i]} for rows {@code r < n} and outputs
   * {@code [from, to)}; w stored {@code [out, in]}, {@code bias} may be null.
   */
  static void outIn(WeightMatrix w, float[] bias, float[] x, int n, float[] y, int from, int to) {
    MemorySegment seg = w.data();
    DType t = w.dtype();
    int in = w.cols();
    int out = w.rows();
    int upper = F.loopBound(in);
    long stride = (long) in * t.byteSize();
    for (int r0 = 0; r0 < n; r0 += ROW_BLOCK) {
      int r1 = Math.min(n, r0 + ROW_BLOCK);
      for (int o = from; o < to; o += 3) {
        tile(seg, t, stride * o, stride, Math.min(3, to - o), x, r0, r1, in, upper, y, o, out);
      }
    }
    for (int r = 0; r < n; r++) {
      for (int o = from; o < to; o++) {
        float sum = y[r * out + o] + tail(seg, t, (long) in * o, x, r * in, upper, in);
        y[r * out + o] = sum + (bias == null ? 0f : bias[o]);
      }
    }
  }

  /**
   * {@code y[r·out + o + k] = Σ_i x[r·in + i] · rows[k·in + i]} for {@code k < count ≤ 3} float
   * rows held in {@code seg} and input rows {@code r < n}.
   */
  static void rows(
      MemorySegment seg, int count, int in, float[] x, int n, float[] y, int o, int out) {
    int upper = F.loopBound(in);
    tile(seg, DType.F32, 0, 4L * in, count, x, 0, n, in, upper, y, o, out);
    for (int r = 0; r < n; r++) {
      for (int k = 0; k < count; k++) {
        y[r * out + o + k] += tail(seg, DType.F32, (long) in * k, x, r * in, upper, in);
      }
    }
  }

  /** Outputs {@code [o, o + count)} of input rows {@code [r0, r1)}, columns below {@code upper}. */
  private static void tile(
      MemorySegment seg,
      DType t,
      long base,
      long stride,
      int count,
      float[] x,
      int r0,
      int r1,
      int in,
      int upper,
      float[] y,
      int o,
      int out) {
    int quads = r0 + (r1 - r0) / 4 * 4;
    for (int r = r0; r < quads; r += 4) {
      if (count == 3) {
        dot4x3(seg, t, base, stride, x, r * in, in, upper, y, r * out + o, out);
      } else {
        for (int k = 0; k < count; k++) {
          for (int q = 0; q < 4; q++) {
            y[(r + q) * out + o + k] = dot1(seg, t, base + k * stride, x, (r + q) * in, upper);
          }
        }
      }
    }
    for (int r = quads; r < r1; r++) {
      for (int k = 0; k < count; k++) {
        y[r * out + o + k] = dot1(seg, t, base + k * stride, x, r * in, upper);
      }
    }
  }

  /** {@code Σ_{c ∈ [upper, in)} w[elemBase + c] · x[x0 + c]}: the columns past the vector bound. */
  private static float tail(
      MemorySegment seg, DType t, long elemBase, float[] x, int x0, int upper, int in) {
    float sum = 0f;
    for (int c = upper; c < in; c++) {
      sum += Tensor.readFloat(seg, t, elemBase + c) * x[x0 + c];
    }
    return sum;
  }

  private static void dot4x3(
      MemorySegment seg,
      DType t,
      long base,
      long stride,
      float[] x,
      int x0,
      int in,
      int upper,
      float[] y,
      int yOff,
      int out) {
    FloatVector a00 = FloatVector.zero(F);
    FloatVector a01 = FloatVector.zero(F);
    FloatVector a02 = FloatVector.zero(F);
    FloatVector a10 = FloatVector.zero(F);
    FloatVector a11 = FloatVector.zero(F);
    FloatVector a12 = FloatVector.zero(F);
    FloatVector a20 = FloatVector.zero(F);
    FloatVector a21 = FloatVector.zero(F);
    FloatVector a22 = FloatVector.zero(F);
    FloatVector a30 = FloatVector.zero(F);
    FloatVector a31 = FloatVector.zero(F);
    FloatVector a32 = FloatVector.zero(F);
    int size = t.byteSize();
    for (int i = 0; i < upper; i += L) {
      long off = base + (long) i * size;
      FloatVector w0 = VectorKernels.load(seg, t, off);
      FloatVector w1 = VectorKernels.load(seg, t, off + stride);
      FloatVector w2 = VectorKernels.load(seg, t, off + 2 * stride);
      FloatVector v = FloatVector.fromArray(F, x, x0 + i);
      a00 = w0.fma(v, a00);
      a01 = w1.fma(v, a01);
      a02 = w2.fma(v, a02);
      v = FloatVector.fromArray(F, x, x0 + in + i);
      a10 = w0.fma(v, a10);
      a11 = w1.fma(v, a11);
      a12 = w2.fma(v, a12);
      v = FloatVector.fromArray(F, x, x0 + 2 * in + i);
      a20 = w0.fma(v, a20);
      a21 = w1.fma(v, a21);
      a22 = w2.fma(v, a22);
      v = FloatVector.fromArray(F, x, x0 + 3 * in + i);
      a30 = w0.fma(v, a30);
      a31 = w1.fma(v, a31);
      a32 = w2.fma(v, a32);
    }
    y[yOff] = a00.reduceLanes(VectorOperators.ADD);
    y[yOff + 1] = a01.reduceLanes(VectorOperators.ADD);
    y[yOff + 2] = a02.reduceLanes(VectorOperators.ADD);
    y[yOff + out] = a10.reduceLanes(VectorOperators.ADD);
    y[yOff + out + 1] = a11.reduceLanes(VectorOperators.ADD);
    y[yOff + out + 2] = a12.reduceLanes(VectorOperators.ADD);
    y[yOff + 2 * out] = a20.reduceLanes(VectorOperators.ADD);
    y[yOff + 2 * out + 1] = a21.reduceLanes(VectorOperators.ADD);
    y[yOff + 2 * out + 2] = a22.reduceLanes(VectorOperators.ADD);
    y[yOff + 3 * out] = a30.reduceLanes(VectorOperators.ADD);
    y[yOff + 3 * out + 1] = a31.reduceLanes(VectorOperators.ADD);
    y[yOff + 3 * out + 2] = a32.reduceLanes(VectorOperators.ADD);
  }

  private static float dot1(MemorySegment seg, DType t, long base, float[] x, int x0, int upper) {
    FloatVector a = FloatVector.zero(F);
    int size = t.byteSize();
    for (int i = 0; i < upper; i += L) {
      a =
          VectorKernels.load(seg, t, base + (long) i * size)
              .fma(FloatVector.fromArray(F, x, x0 + i), a);
    }
    return a.reduceLanes(VectorOperators.ADD);
  }
}
