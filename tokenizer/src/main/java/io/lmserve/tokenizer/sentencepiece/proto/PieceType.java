package io.lmserve.tokenizer.sentencepiece.proto;

/**
 * The kind of a vocabulary entry, with the numbers {@code sentencepiece_model.proto} gives them.
 */
public enum PieceType {
  /** An ordinary piece found by the segmentation. */
  NORMAL(1),
  /** The unknown piece ({@code <unk>}); exactly one per model. */
  UNKNOWN(2),
  /** A control symbol such as {@code <s>}: never produced from text, invisible when decoded. */
  CONTROL(3),
  /** A piece always kept whole, never normalized or split. */
  USER_DEFINED(4),
  /** A piece kept in the vocabulary but never produced by encoding. */
  UNUSED(5),
  /** One byte {@code <0xNN>} for byte fallback. */
  BYTE(6);

  private final int number;

  PieceType(int number) {
    this.number = number;
  }

  public int number() {
    return number;
  }

  static PieceType of(int number) {
    for (PieceType type : values()) {
      if (type.number == number) {
        return type;
      }
    }
    throw new MalformedModelException(
        "not a valid SentencePiece model: unknown piece type " + number);
  }
}
