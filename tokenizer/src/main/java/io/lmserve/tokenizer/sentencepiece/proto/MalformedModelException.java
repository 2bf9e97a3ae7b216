package io.lmserve.tokenizer.sentencepiece.proto;

/** A SentencePiece model file that cannot be read: truncated, not a ModelProto, or inconsistent. */
public final class MalformedModelException extends IllegalArgumentException {

  public MalformedModelException(String message) {
    super(message);
  }

  public MalformedModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
