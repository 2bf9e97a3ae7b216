package io.lmserve.service.tokenize;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.lmserve.tokenizer.OffsetUnit;

/** The unit of returned offsets; code points by default, as HF Python reports them. */
public enum OffsetsUnit {
  CODEPOINT(OffsetUnit.CODE_POINT),
  /** UTF-16 code units: what Java and JavaScript strings index. */
  UTF16(OffsetUnit.UTF16),
  /** UTF-8 bytes: what HF's Rust library and byte buffers index. */
  UTF8(OffsetUnit.UTF8);

  final OffsetUnit unit;

  OffsetsUnit(OffsetUnit unit) {
    this.unit = unit;
  }

  @JsonValue
  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  @JsonCreator
  static OffsetsUnit of(String value) {
    return WireEnums.parse(OffsetsUnit.class, value);
  }
}
