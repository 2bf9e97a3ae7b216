package io.lmserve.transformer.safetensors;

import java.util.Optional;

/** The element types a safetensors header may name, with their size in bytes. */
public enum DType {
  F64(8),
  F32(4),
  F16(2),
  BF16(2),
  I64(8),
  I32(4),
  I16(2),
  I8(1),
  U64(8),
  U32(4),
  U16(2),
  U8(1),
  BOOL(1),
  F8_E4M3(1),
  F8_E5M2(1);

  private final int byteSize;

  DType(int byteSize) {
    this.byteSize = byteSize;
  }

  public int byteSize() {
    return byteSize;
  }

  /** The dtypes the engine computes with (widened to F32 as they are read). */
  public boolean isComputeType() {
    return this == F32 || this == F16 || this == BF16;
  }

  public static Optional<DType> parse(String name) {
    for (DType d : values()) {
      if (d.name().equals(name)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }
}
