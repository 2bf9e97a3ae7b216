package io.lmserve.service.tokenize;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * HF's {@code truncation}: {@code true} or "longest_first", "only_first", "only_second", {@code
 * false} or "do_not_truncate".
 */
public enum Truncation {
  NONE,
  LONGEST_FIRST,
  ONLY_FIRST,
  ONLY_SECOND;

  @JsonValue
  @Override
  public String toString() {
    return this == NONE ? "do_not_truncate" : name().toLowerCase(java.util.Locale.ROOT);
  }

  @JsonCreator
  static Truncation of(Object value) {
    if (value instanceof Boolean on) {
      return on ? LONGEST_FIRST : NONE;
    }
    return WireEnums.parse(Truncation.class, value, "true, false");
  }
}
