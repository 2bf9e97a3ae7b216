package io.lmserve.transformer.safetensors;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A tensor read in place: its header entry and the slice of the file's data (read into memory at
 * load) holding its bytes. Floating-point elements widen to {@code float} as they are read.
 */
public record Tensor(TensorInfo info, MemorySegment data) {

  private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
  private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;

  public String name() {
    return info.name();
  }

  public DType dtype() {
    return info.dtype();
  }

  public long elementCount() {
    return info.elementCount();
  }

  /** Element {@code index} (row-major) widened to float; F32, F16 and BF16 only. */
  public float getFloat(long index) {
    return readFloat(data, info.dtype(), index);
  }

  /** All elements widened to a new float array (for the small vectors: biases, LayerNorm). */
  public float[] toFloatArray() {
    long n = elementCount();
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException(name() + " is too large for one array");
    }
    float[] out = new float[(int) n];
    for (int i = 0; i < out.length; i++) {
      out[i] = getFloat(i);
    }
    return out;
  }

  /** Reads element {@code index} of a {@code dtype} array starting at byte 0 of {@code segment}. */
  public static float readFloat(MemorySegment segment, DType dtype, long index) {
    return switch (dtype) {
      case F32 -> segment.get(F32, index * 4);
      case F16 -> Float.float16ToFloat(segment.get(I16, index * 2));
      case BF16 -> Float.intBitsToFloat(segment.get(I16, index * 2) << 16);
      default -> throw new IllegalStateException("not a float dtype: " + dtype);
    };
  }
}
