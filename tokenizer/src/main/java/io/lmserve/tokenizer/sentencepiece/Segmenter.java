package io.lmserve.tokenizer.sentencepiece;

/** Splits normalized text into pieces: SentencePiece's model types (Unigram, BPE, word, char). */
interface Segmenter {

  /**
   * The pieces of {@code text[0, length)}. A character no piece covers comes out as the unknown id
   * over that character's bytes.
   */
  Segments segment(byte[] text, int length);
}
