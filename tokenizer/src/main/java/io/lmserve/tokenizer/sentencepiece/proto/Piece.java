package io.lmserve.tokenizer.sentencepiece.proto;

/** One vocabulary entry; its id is its position in {@link ModelProto#pieces()}. */
public record Piece(String piece, float score, PieceType type) {}
