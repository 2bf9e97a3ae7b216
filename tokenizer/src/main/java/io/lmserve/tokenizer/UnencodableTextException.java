package io.lmserve.tokenizer;

/**
 * The tokenizer has no way to spell some of the text: a word-level or BPE model without an unknown
 * token met a word or symbol outside its vocabulary (HF fails the same way). The text is at fault
 * for this tokenizer, not the tokenizer file; the message names the piece.
 */
public final class UnencodableTextException extends IllegalArgumentException {
  public UnencodableTextException(String message) {
    super(message);
  }
}
