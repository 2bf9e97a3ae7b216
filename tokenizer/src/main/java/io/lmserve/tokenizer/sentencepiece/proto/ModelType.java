package io.lmserve.tokenizer.sentencepiece.proto;

/**
 * The segmentation algorithm of a model, with the numbers {@code sentencepiece_model.proto} gives
 * them.
 */
public enum ModelType {
  UNIGRAM(1),
  BPE(2),
  /** Whitespace-delimited words looked up whole. */
  WORD(3),
  /** One piece per character. */
  CHAR(4);

  private final int number;

  ModelType(int number) {
    this.number = number;
  }

  public int number() {
    return number;
  }

  static ModelType of(int number) {
    for (ModelType type : values()) {
      if (type.number == number) {
        return type;
      }
    }
    throw new MalformedModelException(
        "not a valid SentencePiece model: unknown model type " + number);
  }
}
