package io.lmserve.transformer.nn;

import io.lmserve.transformer.safetensors.DType;
import java.lang.foreign.MemorySegment;

/**
 * A row-major {@code [rows, cols]} matrix left where it is stored (normally the checkpoint's
 * memory), in its stored dtype (F32, F16 or BF16); kernels widen elements to float as they read
 * them.
 */
public record WeightMatrix(String name, MemorySegment data, DType dtype, int rows, int cols) {

  public WeightMatrix {
    if (!dtype.isComputeType()) {
      throw new IllegalArgumentException(name + ": dtype " + dtype + " is not F32, F16 or BF16");
    }
    if (data.byteSize() != (long) rows * cols * dtype.byteSize()) {
      throw new IllegalArgumentException(
          name + ": " + data.byteSize() + " bytes for " + rows + "x" + cols);
    }
  }

  /** Byte offset of element {@code [row, col]}. */
  public long offset(int row, int col) {
    return ((long) row * cols + col) * dtype.byteSize();
  }

  /** A float array holding a copy of this matrix (tests and small matrices only). */
  public static WeightMatrix ofFloats(String name, float[] values, int rows, int cols) {
    return new WeightMatrix(name, MemorySegment.ofArray(values), DType.F32, rows, cols);
  }
}
