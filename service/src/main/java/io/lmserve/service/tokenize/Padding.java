package io.lmserve.service.tokenize;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** HF's {@code padding}: {@code true} or "longest", "max_length", {@code false} or "do_not_pad". */
public enum Padding {
  NONE,
  LONGEST,
  MAX_LENGTH;

  @JsonValue
  @Override
  public String toString() {
    return this == NONE ? "do_not_pad" : name().toLowerCase(java.util.Locale.ROOT);
  }

  @JsonCreator
  static Padding of(Object value) {
    if (value instanceof Boolean on) {
      return on ? LONGEST : NONE;
    }
    return WireEnums.parse(Padding.class, value, "true, false");
  }
}
