package io.lmserve.transformer.nn;

import io.lmserve.transformer.safetensors.DType;
import io.lmserve.transformer.safetensors.Tensor;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix × matrix for several input rows (prefill, batched decode, BERT), register-tiled and
 * cache-blocked: over {@link PanelMatrix} panels (int8 dequantized a panel at a time, {@link
 * #dequantized}), and over weights read as stored, F16 and BF16 widened as they are read.
 *
 * <ul>
 *   <li>{@code [in, out]} (Conv1D): a panel of up to {@code 3 × lanes} output columns is copied
 *       once, widened to float and contiguous, into a per-thread buffer; blocks of 8 rows × 3
 *       vectors of outputs then stay in registers ({@link Microkernel}) while the panel streams
 *       through from L1/L2. Copying the panel turns the weight matrix's column walk, a new cache
 *       line and often a new page per input, into one sequential pass.
 *   <li>{@code [out, in]} (nn.Linear, LM heads) with few rows: four input rows × three stored rows
 *       of dot products in twelve vector accumulators (seven loads feed twelve FMAs), over blocks
 *       of 64 input rows so that both the rows and the stored rows of a chunk stay in L2. Many rows
 *       take {@link RowPanelMatmul} instead.
 * </ul>
 */
final class TiledMatmul {

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int L = F.length();

  /** Output columns per copied panel at most. */
  static final int PANEL = Microkernel.WIDTH;

  /** Input rows per block of the {@code [out, in]} kernel. */
  private static final int ROW_BLOCK = 64;

  /** Each worker thread's panel (grown to the largest {@code in × PANEL} seen) and tile. */
  private record Scratch(float[] panel, float[] tile, int[] rows) {}

  private static final ThreadLocal<Scratch> SCRATCH = new ThreadLocal<>();

  private TiledMatmul() {}

  /**
   * {@code y[r·out + c] = bias[c] + Σ_i x[r·in + i] · w[i, c]} for rows {@code r < n} and columns
   * {@code [from, to)}, {@code to - from} a multiple of the lane count; w stored {@code [in, out]},
   * {@code bias} may be null. Panels of up to three vectors of columns are widened once; eight
   * input rows at a time (the last group repeats its last row) are broadcast against them by the
   * {@link Microkernel}.
   */
  static void inOut(WeightMatrix w, float[] bias, float[] x, int n, float[] y, int from, int to) {
    int in = w.rows();
    int out = w.cols();
    Scratch s = scratch(in);
    for (int c = from; c < to; c += PANEL) {
      int width = Math.min(PANEL, to - c);
      pack(w, c, width, s.panel);
      for (int r = 0; r < n; r += Microkernel.ROWS) {
        int count = Math.min(Microkernel.ROWS, n - r);
        for (int m = 0; m < Microkernel.ROWS; m++) {
          s.rows[m] = (r + Math.min(m, count - 1)) * in;
        }
        Microkernel.multiply(width / L, s.panel, 0, width, x, s.rows, in, s.tile);
        for (int m = 0; m < count; m++) {
          int yo = (r + m) * out + c;
          for (int j = 0; j < width; j += L) {
            FloatVector sum = FloatVector.fromArray(F, s.tile, m * PANEL + j);
            if (bias != null) {
              sum = FloatVector.fromArray(F, bias, c + j).add(sum);
            }
            sum.intoArray(y, yo + j);
          }
        }
      }
    }
  }

  /**
   * {@link Kernels#linearInt8} for many rows: each int8 panel is dequantized once into the thread's
   * buffer and every group of eight rows runs the {@link Microkernel} over it from L1/L2; the
   * columns past the last whole vector of a narrow panel take a scalar chain in the same order.
   */
  static void dequantized(Int8Matrix w, float[] bias, float[] x, int n, float[] y, int p0, int p1) {
    int in = w.cols();
    int out = w.rows();
    Scratch s = scratch(in);
    for (int p = p0; p < p1; p++) {
      int width = w.width(p);
      int vectors = width / L;
      int c = p * PANEL;
      w.fillPanel(p, s.panel);
      for (int r = 0; r < n; r += Microkernel.ROWS) {
        int count = Math.min(Microkernel.ROWS, n - r);
        if (vectors > 0) {
          for (int m = 0; m < Microkernel.ROWS; m++) {
            s.rows[m] = (r + Math.min(m, count - 1)) * in;
          }
          Microkernel.multiply(vectors, s.panel, 0, width, x, s.rows, in, s.tile);
          for (int m = 0; m < count; m++) {
            System.arraycopy(s.tile, m * PANEL, y, (r + m) * out + c, vectors * L);
          }
        }
        for (int m = 0; m < count; m++) {
          int xr = (r + m) * in;
          for (int j = vectors * L; j < width; j++) {
            float sum = 0f;
            for (int i = 0; i < in; i++) {
              sum = Math.fma(x[xr + i], s.panel[i * width + j], sum);
            }
            y[(r + m) * out + c + j] = sum;
          }
        }
      }
      PanelTile.addBias(bias, n, out, y, c, width);
    }
  }

  /** The calling thread's buffers, grown to panels of {@code in} rows. */
  private static Scratch scratch(int in) {
    Scratch s = SCRATCH.get();
    if (s == null || s.panel.length < in * PANEL) {
      s =
          new Scratch(
              new float[in * PANEL],
              new float[Microkernel.ROWS * PANEL],
              new int[Microkernel.ROWS]);
      SCRATCH.set(s);
    }
    return s;
  }

  /** {@code panel[i·width + j] = w[i, c + j]} as floats, {@code width} a multiple of lanes. */
  private static void pack(WeightMatrix w, int c, int width, float[] panel) {
    MemorySegment seg = w.data();
    DType t = w.dtype();
    int in = w.rows();
    boolean vectors = t == DType.F32 || VectorKernels.halfVectors();
    for (int i = 0; i < in; i++) {
      long off = w.offset(i, c);
      int p = i * width;
      if (vectors) {
        for (int j = 0; j < width; j += L) {
          VectorKernels.load(seg, t, off + (long) j * t.byteSize()).intoArray(panel, p + j);
        }
      } else {
        long elem = off / t.byteSize();
        for (int j = 0; j < width; j++) {
          panel[p + j] = Tensor.readFloat(seg, t, elem + j);
        }
      }
    }
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
    y[yOff] = VectorKernels.sum(a00);
    y[yOff + 1] = VectorKernels.sum(a01);
    y[yOff + 2] = VectorKernels.sum(a02);
    y[yOff + out] = VectorKernels.sum(a10);
    y[yOff + out + 1] = VectorKernels.sum(a11);
    y[yOff + out + 2] = VectorKernels.sum(a12);
    y[yOff + 2 * out] = VectorKernels.sum(a20);
    y[yOff + 2 * out + 1] = VectorKernels.sum(a21);
    y[yOff + 2 * out + 2] = VectorKernels.sum(a22);
    y[yOff + 3 * out] = VectorKernels.sum(a30);
    y[yOff + 3 * out + 1] = VectorKernels.sum(a31);
    y[yOff + 3 * out + 2] = VectorKernels.sum(a32);
  }

  private static float dot1(MemorySegment seg, DType t, long base, float[] x, int x0, int upper) {
    FloatVector a = FloatVector.zero(F);
    int size = t.byteSize();
    for (int i = 0; i < upper; i += L) {
      a =
          VectorKernels.load(seg, t, base + (long) i * size)
              .fma(FloatVector.fromArray(F, x, x0 + i), a);
    }
    return VectorKernels.sum(a);
  }
}
