package io.lmserve.tokenizer.sentencepiece;

import io.lmserve.tokenizer.decoder.Decoder;
import java.util.List;

/**
 * {@code spm_decode} as a pipeline stage: tokens (the model's pieces) back to text by
 * SentencePiece's rules, control pieces dropped, bytes reassembled.
 */
public final class SentencePieceDecoder implements Decoder {

  private final Vocabulary pieces;
  private final SpmDecoder decoder;

  SentencePieceDecoder(Vocabulary pieces, SpmDecoder decoder) {
    this.pieces = pieces;
    this.decoder = decoder;
  }

  @Override
  public List<String> decodeChain(List<String> tokens) {
    int[] ids = new int[tokens.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = pieces.exactId(tokens.get(i));
      if (ids[i] < 0) {
        throw new IllegalArgumentException("'" + tokens.get(i) + "' is not a piece of this model");
      }
    }
    return List.of(decoder.decode(ids));
  }
}
