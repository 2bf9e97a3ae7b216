package io.lmserve.generation;

/** Why a generation ended; {@link #wireName} is the OpenAI/TGI spelling. */
public enum FinishReason {
  /** {@code max_new_tokens} reached. */
  LENGTH,
  /** A stop sequence was generated (and left out of the text). */
  STOP,
  /** The model's end-of-sequence token. */
  EOS,
  /**
   * Cancelled by the caller, by shutdown, or by the request's deadline (the message says which).
   */
  CANCELLED,
  /** The model or a listener failed; the message says how. */
  ERROR;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
