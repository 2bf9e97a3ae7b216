package io.lmserve.service.models;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a served model can do: generate, fill masks, or only tokenize. */
public enum ModelKind {
  CAUSAL_LM,
  MASKED_LM,
  TOKENIZER;

  /** {@code causal-lm}, as in the configuration and {@code GET /v1/models}. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  @Override
  public String toString() {
    return wireName();
  }
}
