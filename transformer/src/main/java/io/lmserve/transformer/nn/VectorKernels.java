package io.lmserve.transformer.nn;

import io.lmserve.transformer.safetensors.DType;
import io.lmserve.transformer.safetensors.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels over the machine's preferred vector width. Half-precision weights are widened in
 * registers: BF16 by a 16-bit shift, F16 by rebasing its exponent (exact for normals, subnormals,
 * infinities and NaN), so weights are never copied into a wider type.
 */
final class VectorKernels implements Kernels {

  static final VectorKernels INSTANCE = new VectorKernels();

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
  private static final int L = F.length();
  private static final boolean HALF_VECTORS = F.vectorBitSize() >= 128;
  private static final VectorSpecies<Short> S =
      HALF_VECTORS
          ? VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2))
          : null;
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
  private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);

  private VectorKernels() {}

  static int lanes() {
    return L;
  }

  /** True when half-precision weights can be widened in vector registers. */
  static boolean halfVectors() {
    return HALF_VECTORS;
  }

  /** One vector of weights at {@code byteOffset}, widened to float (halves need halfVectors). */
  static FloatVector load(MemorySegment seg, DType dtype, long byteOffset) {
    return switch (dtype) {
      case F32 -> f32(seg, byteOffset);
      case BF16 -> bf16(seg, byteOffset);
      case F16 -> f16(seg, byteOffset);
      default -> throw new IllegalStateException(dtype.toString());
    };
  }

  /**
   * Whether {@code n} input rows of {@code w} take a tiled kernel (from {@code minRows}, for a
   * dtype the vector loads widen). {@link TiledMatmul} starts at 4 rows for {@code [out, in]} and 8
   * for {@code [in, out]}, whose panel copy costs more than the row-by-row pass saves below that
   * (measured at 768x3072: 4 rows 18 vs 31 GFLOP/cpu-s, 8 rows even, 16 rows 44 vs 33).
   */
  private static boolean tiled(WeightMatrix w, int n, int minRows) {
    return n >= minRows && (w.dtype() == DType.F32 || HALF_VECTORS);
  }

  static final int TILED_MIN_ROWS_OUT_IN = 4;
  static final int TILED_MIN_ROWS_IN_OUT = 8;

  @Override
  public float dot(WeightMatrix w, int row, float[] x, int xOff) {
    if (w.dtype() != DType.F32 && !HALF_VECTORS) {
      return ScalarKernels.INSTANCE.dot(w, row, x, xOff);
    }
    MemorySegment seg = w.data();
    int n = w.cols();
    int upper = F.loopBound(n);
    long base = w.offset(row, 0);
    FloatVector acc0 = FloatVector.zero(F);
    FloatVector acc1 = FloatVector.zero(F);
    FloatVector acc2 = FloatVector.zero(F);
    FloatVector acc3 = FloatVector.zero(F);
    int i = 0;
    switch (w.dtype()) {
      case F32 -> {
        for (; i + 3 * L < upper; i += 4 * L) {
          acc0 = f32(seg, base + 4L * i).fma(FloatVector.fromArray(F, x, xOff + i), acc0);
          acc1 = f32(seg, base + 4L * (i + L)).fma(FloatVector.fromArray(F, x, xOff + i + L), acc1);
          acc2 =
              f32(seg, base + 4L * (i + 2 * L))
                  .fma(FloatVector.fromArray(F, x, xOff + i + 2 * L), acc2);
          acc3 =
              f32(seg, base + 4L * (i + 3 * L))
                  .fma(FloatVector.fromArray(F, x, xOff + i + 3 * L), acc3);
        }
        for (; i < upper; i += L) {
          acc0 = f32(seg, base + 4L * i).fma(FloatVector.fromArray(F, x, xOff + i), acc0);
        }
      }
      case BF16 -> {
        for (; i < upper; i += L) {
          acc0 = bf16(seg, base + 2L * i).fma(FloatVector.fromArray(F, x, xOff + i), acc0);
        }
      }
      case F16 -> {
        for (; i < upper; i += L) {
          acc0 = f16(seg, base + 2L * i).fma(FloatVector.fromArray(F, x, xOff + i), acc0);
        }
      }
      default -> throw new IllegalStateException(w.dtype().toString());
    }
    float sum = sum(acc0.add(acc1).add(acc2.add(acc3)));
    long elem = base / w.dtype().byteSize();
    for (; i < n; i++) {
      sum += Tensor.readFloat(seg, w.dtype(), elem + i) * x[xOff + i];
    }
    return sum;
  }

  @Override
  public void axpy(WeightMatrix w, int row, int from, int to, float a, float[] y, int yOff) {
    if (w.dtype() != DType.F32 && !HALF_VECTORS) {
      ScalarKernels.INSTANCE.axpy(w, row, from, to, a, y, yOff);
      return;
    }
    MemorySegment seg = w.data();
    int n = to - from;
    int upper = F.loopBound(n);
    long base = w.offset(row, from);
    FloatVector av = FloatVector.broadcast(F, a);
    int i = 0;
    switch (w.dtype()) {
      case F32 -> {
        for (; i < upper; i += L) {
          FloatVector yv = FloatVector.fromArray(F, y, yOff + i);
          f32(seg, base + 4L * i).fma(av, yv).intoArray(y, yOff + i);
        }
      }
      case BF16 -> {
        for (; i < upper; i += L) {
          FloatVector yv = FloatVector.fromArray(F, y, yOff + i);
          bf16(seg, base + 2L * i).fma(av, yv).intoArray(y, yOff + i);
        }
      }
      case F16 -> {
        for (; i < upper; i += L) {
          FloatVector yv = FloatVector.fromArray(F, y, yOff + i);
          f16(seg, base + 2L * i).fma(av, yv).intoArray(y, yOff + i);
        }
      }
      default -> throw new IllegalStateException(w.dtype().toString());
    }
    long elem = base / w.dtype().byteSize();
    for (; i < n; i++) {
      // Fused like the lanes, so a column rounds the same in the tail as in a vector.
      y[yOff + i] = Math.fma(a, Tensor.readFloat(seg, w.dtype(), elem + i), y[yOff + i]);
    }
  }

  /**
   * Four or more input rows take {@link TiledMatmul}. Fewer (decode), F32: four stored rows per
   * pass over an input row (four independent accumulators), so each input vector is loaded once per
   * four rows and the four rows stay in L1 across input rows. Other dtypes take the per-output
   * path.
   */
  @Override
  public void linearOutIn(
      WeightMatrix w, float[] bias, float[] x, int n, float[] y, int from, int to) {
    if (tiled(w, n, TILED_MIN_ROWS_OUT_IN)) {
      TiledMatmul.outIn(w, bias, x, n, y, from, to);
      return;
    }
    if (w.dtype() != DType.F32) {
      Kernels.super.linearOutIn(w, bias, x, n, y, from, to);
      return;
    }
    MemorySegment seg = w.data();
    int in = w.cols();
    int out = w.rows();
    int upper = F.loopBound(in);
    long stride = 4L * in;
    int o = from;
    for (; o + 4 <= to; o += 4) {
      long base = stride * o;
      for (int r = 0; r < n; r++) {
        outIn4x1(seg, base, stride, x, r * in, upper, y, r * out + o);
      }
    }
    for (; o < to; o++) {
      for (int r = 0; r < n; r++) {
        y[r * out + o] = dot(w, o, x, r * in);
      }
    }
    // Columns past the vector bound, then the bias, for the tiled outputs.
    int tiled = from + (to - from) / 4 * 4;
    for (int r = 0; r < n; r++) {
      for (int t = from; t < to; t++) {
        float sum = y[r * out + t];
        if (t < tiled) {
          for (int c = upper; c < in; c++) {
            sum += seg.get(F32_LE, stride * t + 4L * c) * x[r * in + c];
          }
        }
        y[r * out + t] = sum + (bias == null ? 0f : bias[t]);
      }
    }
  }

  /**
   * From {@link RowPanelMatmul#MIN_ROWS} rows, the rows are transposed once into panels that every
   * chunk reads; fewer take the per-chunk path.
   */
  @Override
  public void linearOutIn(
      WeightMatrix w, float[] bias, float[] x, int n, float[] y, WorkerPool pool, int grain) {
    if (!tiled(w, n, RowPanelMatmul.MIN_ROWS)) {
      Kernels.super.linearOutIn(w, bias, x, n, y, pool, grain);
      return;
    }
    RowPanelMatmul.Panels panels = RowPanelMatmul.transpose(x, n, w.cols(), pool);
    pool.parallelFor(
        w.rows(), grain, (from, to) -> RowPanelMatmul.multiply(w, bias, panels, y, from, to));
  }

  private static void outIn4x1(
      MemorySegment seg,
      long base,
      long stride,
      float[] x,
      int x0,
      int upper,
      float[] y,
      int yOff) {
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    FloatVector a2 = FloatVector.zero(F);
    FloatVector a3 = FloatVector.zero(F);
    for (int i = 0; i < upper; i += L) {
      long off = base + 4L * i;
      FloatVector v = FloatVector.fromArray(F, x, x0 + i);
      a0 = f32(seg, off).fma(v, a0);
      a1 = f32(seg, off + stride).fma(v, a1);
      a2 = f32(seg, off + 2 * stride).fma(v, a2);
      a3 = f32(seg, off + 3 * stride).fma(v, a3);
    }
    y[yOff] = sum(a0);
    y[yOff + 1] = sum(a1);
    y[yOff + 2] = sum(a2);
    y[yOff + 3] = sum(a3);
  }

  /**
   * Straight from the panels' memory for any number of rows ({@link PanelTile}): eight rows at a
   * time, the first group reading each panel from memory and the others from L2. Copying each panel
   * into a buffer for the {@link Microkernel} first ran 0.98-1.04x at 512 rows and BERT's 1024, and
   * slower at 16-128 (scheduler at 16 streams 0.70-0.82x, prefill 32 0.75-0.80x, prefill 128
   * 0.95-0.96x; alternating JVMs).
   */
  @Override
  public void linearPanels(
      PanelMatrix w, float[] bias, float[] x, int n, float[] y, int p0, int p1) {
    if (n == 1) {
      PanelTile.single(w, bias, x, y, p0, p1);
    } else {
      PanelTile.batch(w, bias, x, n, y, p0, p1);
    }
  }

  /**
   * Eight or more input rows take {@link TiledMatmul}; fewer (decode) take {@link #inOutRows} for
   * F32, which adds four stored rows into the outputs per pass. Half-precision weights without half
   * vectors take the row-by-row path.
   */
  @Override
  public void linearInOut(
      WeightMatrix w, float[] bias, float[] x, int n, float[] y, int from, int to) {
    if (tiled(w, n, TILED_MIN_ROWS_IN_OUT)) {
      int panels = from + (to - from) / L * L;
      TiledMatmul.inOut(w, bias, x, n, y, from, panels);
      Linear.startWithBias(bias, n, w.cols(), y, panels, to);
      for (int i = 0; panels < to && i < w.rows(); i++) {
        for (int r = 0; r < n; r++) {
          axpy(w, i, panels, to, x[r * w.rows() + i], y, r * w.cols() + panels);
        }
      }
      return;
    }
    if (w.dtype() != DType.F32) {
      Kernels.super.linearInOut(w, bias, x, n, y, from, to);
      return;
    }
    Linear.startWithBias(bias, n, w.cols(), y, from, to);
    inOutRows(w.data(), w.rows(), w.cols(), x, 0, n, 0, w.rows(), y, 0, from, to);
  }

  /**
   * Stored columns per pass when several rows share a band: four stored rows of this many floats
   * (16 KB) stay in L1 while every row of x is added in, so each weight byte comes from memory
   * once. (A 4-row x 4-vector register tile walking down the band's columns was measured slower at
   * batch 8: 0.6x, its strided reads defeat the prefetchers.)
   */
  private static final int BAND_COLUMNS = 1024;

  /**
   * From {@link BandTile#MIN_ROWS} rows (batched decode), {@link BandTile} keeps the partial sums
   * of eight rows in registers. Fewer, F32: each stored row of the band is streamed once, front to
   * back ({@link #inOutRows} over column blocks that stay in L1 when there are several rows).
   */
  @Override
  public void accumulateInOut(
      WeightMatrix w, float[] x, int n, int i0, int i1, float[] y, int yOff) {
    if (tiled(w, n, BandTile.MIN_ROWS)) {
      BandTile.accumulate(w, x, n, i0, i1, y, yOff);
      return;
    }
    if (w.dtype() != DType.F32) {
      Kernels.super.accumulateInOut(w, x, n, i0, i1, y, yOff);
      return;
    }
    int out = w.cols();
    int block = n == 1 ? out : BAND_COLUMNS;
    for (int c0 = 0; c0 < out; c0 += block) {
      inOutRows(w.data(), w.rows(), out, x, 0, n, i0, i1, y, yOff, c0, Math.min(out, c0 + block));
    }
  }

  /**
   * Rows {@code [r0, r1)} of x times stored rows {@code [i0, i1)} and columns {@code [from, to)},
   * added into {@code y[yBase + r·out + c]}: with several rows, four stored rows are added into
   * each output row per pass, so the outputs are loaded and stored once per four FMAs; with one,
   * one stored row per pass. Each stored row is read sequentially (and once, whatever the number of
   * rows).
   */
  private static void inOutRows(
      MemorySegment seg,
      int in,
      int out,
      float[] x,
      int r0,
      int r1,
      int i0,
      int i1,
      float[] y,
      int yBase,
      int from,
      int to) {
    if (r0 >= r1) {
      return;
    }
    int n = to - from;
    int upper = F.loopBound(n);
    long stride = 4L * out;
    int i = i0;
    // One row of x (decode at batch 1): one stored row per pass, a single sequential stream, read
    // 7-14 % faster than four rows per pass (four streams 3-12 KB apart), interleaved in one JVM
    // over GPT-2-small's block weights; the sums are the same FMA chain either way. Two rows were
    // 20 % slower one row per pass (twice the output traffic per weight).
    boolean oneRow = r1 - r0 == 1;
    for (; !oneRow && i + 4 <= i1; i += 4) {
      long base = stride * i + 4L * from;
      for (int r = r0; r < r1; r++) {
        int xi = r * in + i;
        float s0 = x[xi];
        float s1 = x[xi + 1];
        float s2 = x[xi + 2];
        float s3 = x[xi + 3];
        FloatVector b0 = FloatVector.broadcast(F, s0);
        FloatVector b1 = FloatVector.broadcast(F, s1);
        FloatVector b2 = FloatVector.broadcast(F, s2);
        FloatVector b3 = FloatVector.broadcast(F, s3);
        int yo = yBase + r * out + from;
        int c = 0;
        for (; c < upper; c += L) {
          long off = base + 4L * c;
          FloatVector acc = FloatVector.fromArray(F, y, yo + c);
          acc = f32(seg, off).fma(b0, acc);
          acc = f32(seg, off + stride).fma(b1, acc);
          acc = f32(seg, off + 2 * stride).fma(b2, acc);
          acc = f32(seg, off + 3 * stride).fma(b3, acc);
          acc.intoArray(y, yo + c);
        }
        for (; c < n; c++) {
          long off = base + 4L * c;
          // Fused like the vector lanes, so an output rounds the same whichever path computes it.
          float acc = y[yo + c];
          acc = Math.fma(s0, seg.get(F32_LE, off), acc);
          acc = Math.fma(s1, seg.get(F32_LE, off + stride), acc);
          acc = Math.fma(s2, seg.get(F32_LE, off + 2 * stride), acc);
          acc = Math.fma(s3, seg.get(F32_LE, off + 3 * stride), acc);
          y[yo + c] = acc;
        }
      }
    }
    for (; i < i1; i++) {
      long base = stride * i + 4L * from;
      for (int r = r0; r < r1; r++) {
        float s = x[r * in + i];
        FloatVector b = FloatVector.broadcast(F, s);
        int yo = yBase + r * out + from;
        int c = 0;
        for (; c < upper; c += L) {
          FloatVector acc = FloatVector.fromArray(F, y, yo + c);
          f32(seg, base + 4L * c).fma(b, acc).intoArray(y, yo + c);
        }
        for (; c < n; c++) {
          y[yo + c] = Math.fma(s, seg.get(F32_LE, base + 4L * c), y[yo + c]);
        }
      }
    }
  }

  @Override
  public void linearInt8(Int8Matrix w, float[] bias, float[] x, int n, float[] y, int p0, int p1) {
    if (n > Microkernel.ROWS) {
      TiledMatmul.dequantized(w, bias, x, n, y, p0, p1);
    } else if (!Int8Kernels.supported()) {
      Kernels.super.linearInt8(w, bias, x, n, y, p0, p1);
    } else if (n == 1) {
      Int8Kernels.single(w, bias, x, y, p0, p1);
    } else {
      Int8Kernels.batch(w, bias, x, n, y, p0, p1);
    }
  }

  @Override
  public void activate(Activation a, float[] x, int from, int to) {
    if (VectorActivation.supports(a)) {
      VectorActivation.applyInPlace(a, x, from, to);
    } else {
      a.applyInPlace(x, from, to);
    }
  }

  @Override
  public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
    int upper = F.loopBound(n);
    FloatVector acc = FloatVector.zero(F);
    int i = 0;
    for (; i < upper; i += L) {
      acc = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc);
    }
    float sum = sum(acc);
    for (; i < n; i++) {
      sum += a[aOff + i] * b[bOff + i];
    }
    return sum;
  }

  @Override
  public void scaleAdd(float scale, float[] y, int yOff, float a, float[] x, int xOff, int n) {
    int upper = F.loopBound(n);
    FloatVector sv = FloatVector.broadcast(F, scale);
    FloatVector av = FloatVector.broadcast(F, a);
    int i = 0;
    for (; i < upper; i += L) {
      FloatVector yv = FloatVector.fromArray(F, y, yOff + i).mul(sv);
      FloatVector.fromArray(F, x, xOff + i).fma(av, yv).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = y[yOff + i] * scale + a * x[xOff + i];
    }
  }

  /**
   * Rotations of the lanes by L/2, L/4, L/8, L/16 (null below one lane): the steps of {@link
   * #sum}'s fixed tree, in constants so the compiler emits plain permutes.
   */
  private static final VectorShuffle<Float> ROTATE_HALF = rotation(L / 2);

  private static final VectorShuffle<Float> ROTATE_QUARTER = rotation(L / 4);
  private static final VectorShuffle<Float> ROTATE_EIGHTH = rotation(L / 8);
  private static final VectorShuffle<Float> ROTATE_SIXTEENTH = rotation(L / 16);

  private static VectorShuffle<Float> rotation(int lanes) {
    return lanes < 1 ? null : VectorShuffle.iota(F, lanes, 1, true);
  }

  /**
   * The sum of the lanes by a fixed pairwise tree of lanewise adds. {@code reduceLanes} adds in one
   * order when interpreted and another once compiled, so the same call could round differently
   * before and after the JIT reached it; this sum is the same in every tier.
   */
  static float sum(FloatVector v) {
    if (L > 16) {
      // Wider than any x86 vector: lane by lane, as deterministic.
      float total = 0f;
      for (int i = 0; i < L; i++) {
        total += v.lane(i);
      }
      return total;
    }
    if (L >= 2) {
      v = v.add(v.rearrange(ROTATE_HALF));
    }
    if (L >= 4) {
      v = v.add(v.rearrange(ROTATE_QUARTER));
    }
    if (L >= 8) {
      v = v.add(v.rearrange(ROTATE_EIGHTH));
    }
    if (L >= 16) {
      v = v.add(v.rearrange(ROTATE_SIXTEENTH));
    }
    return v.lane(0);
  }

  private static FloatVector f32(MemorySegment seg, long byteOffset) {
    return FloatVector.fromMemorySegment(F, seg, byteOffset, LE);
  }

  private static FloatVector bf16(MemorySegment seg, long byteOffset) {
    IntVector bits =
        (IntVector)
            ShortVector.fromMemorySegment(S, seg, byteOffset, LE)
                .convertShape(VectorOperators.S2I, I, 0);
    return bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
  }

  /** F16 → F32: shift the 15 magnitude bits into place, rescale by 2^112, restore sign/inf/NaN. */
  static FloatVector f16(MemorySegment seg, long byteOffset) {
    IntVector half =
        (IntVector)
            ShortVector.fromMemorySegment(S, seg, byteOffset, LE)
                .convertShape(VectorOperators.S2I, I, 0);
    IntVector magnitude = half.and(0x7fff);
    IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
    IntVector bits = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
    VectorMask<Integer> infOrNan = magnitude.compare(VectorOperators.GE, 0x7c00);
    bits = bits.blend(shifted.or(0x7f800000), infOrNan);
    IntVector sign = half.and(0x8000).lanewise(VectorOperators.LSHL, 16);
    return bits.or(sign).reinterpretAsFloats();
  }

  @Override
  public String toString() {
    return "vector(" + F + ")";
  }
}
