package io.lmserve.service.tokenize;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What to do with text that spells a special token such as {@code <|endoftext|>}. */
public enum SpecialTokens {
  /** Match it as the special token (HF's behaviour). */
  PARSE,
  /** Tokenize it as ordinary text. */
  IGNORE,
  /** Refuse the request (400), for untrusted input. */
  REJECT;

  @JsonValue
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  static SpecialTokens of(String value) {
    return WireEnums.parse(SpecialTokens.class, value);
  }
}
