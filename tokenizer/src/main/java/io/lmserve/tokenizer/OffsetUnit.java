package io.lmserve.tokenizer;

/** The unit offsets are counted in. */
public enum OffsetUnit {
  /** UTF-16 code units: indices into the Java {@code String}. */
  UTF16,
  /** Unicode code points (HF Python's unit). */
  CODE_POINT,
  /** Bytes of the UTF-8 encoding (HF Rust's unit). */
  UTF8
}
