package io.lmserve.transformer.nn;

import io.lmserve.transformer.safetensors.DType;
import io.lmserve.transformer.safetensors.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels over the machine's preferred vector width. Half-precision weights are widened in
 * registers: BF16 by a 16-bit shift, F16 by rebasing its exponent (exact for normals, subnormals,
 * infinities and NaN), so weights never leave the mapped file.
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

  private VectorKernels() {}

  static int lanes() {
    return L;
  }

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
    float sum = acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD);
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
      y[yOff + i] += a * Tensor.readFloat(seg, w.dtype(), elem + i);
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
    float sum = acc.reduceLanes(VectorOperators.ADD);
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
