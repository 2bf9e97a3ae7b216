package io.lmserve.tokenizer.sentencepiece.proto;

import java.util.List;
import java.util.Optional;

/**
 * The content of a SentencePiece {@code .model} file.
 *
 * @param pieces the vocabulary; a piece's id is its index
 * @param denormalizer applied to decoded text when present
 */
public record ModelProto(
    List<Piece> pieces,
    TrainerSpec trainerSpec,
    NormalizerSpec normalizerSpec,
    Optional<NormalizerSpec> denormalizer) {

  public ModelProto {
    pieces = List.copyOf(pieces);
  }
}
