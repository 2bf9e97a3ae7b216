package io.lmserve.tokenizer.sentencepiece;

/**
 * What {@link SentencePieceProcessor#encode} returns: ids and pieces exactly as {@code spm_encode}
 * prints them, and each piece's span {@code [start, end)} of the original text in UTF-16 units.
 *
 * <p>Spans follow HF tokenizers' convention rather than SentencePiece's: the dummy-prefix {@code ▁}
 * shares the span of the character after it, every byte-fallback piece spans its whole character,
 * and a piece that absorbed a space spans that space.
 */
public record EncodedPieces(int[] ids, String[] pieces, int[] starts, int[] ends) {

  public int size() {
    return ids.length;
  }
}
