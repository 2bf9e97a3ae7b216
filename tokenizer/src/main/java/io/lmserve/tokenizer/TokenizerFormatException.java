package io.lmserve.tokenizer;

/** A tokenizer file that cannot be understood; the message names the file and what is wrong. */
public final class TokenizerFormatException extends IllegalArgumentException {
  public TokenizerFormatException(String message) {
    super(message);
  }

  public TokenizerFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
