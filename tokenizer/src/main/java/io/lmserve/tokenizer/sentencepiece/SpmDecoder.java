package io.lmserve.tokenizer.sentencepiece;

import io.lmserve.tokenizer.sentencepiece.proto.ModelProto;
import io.lmserve.tokenizer.sentencepiece.proto.NormalizerSpec;
import io.lmserve.tokenizer.sentencepiece.proto.PieceType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Ids back to text as {@code spm_decode} does it: {@code ▁} becomes a space, the space the dummy
 * prefix added at the start is dropped, runs of byte pieces are reassembled into UTF-8 (each byte
 * that is not part of a well-formed character becomes U+FFFD), control pieces vanish, and the
 * unknown piece reads as the model's unknown surface ({@code " ⁇ "} by default).
 */
final class SpmDecoder {

  private static final String SPACE_SYMBOL = "\u2581";

  private final Vocabulary vocabulary;
  private final boolean stripLeadingSpace;
  private final boolean stripAllLeadingSpace;
  private final String unkSurface;
  private final SpmNormalizer denormalizer; // null: none

  SpmDecoder(ModelProto model, Vocabulary vocabulary) {
    this.vocabulary = vocabulary;
    NormalizerSpec spec = model.normalizerSpec();
    this.stripLeadingSpace = spec.addDummyPrefix() || spec.removeExtraWhitespaces();
    this.stripAllLeadingSpace = spec.removeExtraWhitespaces();
    this.unkSurface = model.trainerSpec().unkSurface();
    this.denormalizer =
        model
            .denormalizer()
            .filter(d -> d.precompiledCharsMap().length > 0)
            .map(d -> new SpmNormalizer(d, false, null))
            .orElse(null);
  }

  String decode(int[] ids) {
    ByteArrayOutputStream pendingBytes = new ByteArrayOutputStream();
    StringBuilder text = new StringBuilder();
    boolean atStart = true;
    boolean startSpaceSeen = false;
    for (int id : ids) {
      if (id < 0 || id >= vocabulary.size()) {
        throw new IllegalArgumentException(
            "id " + id + " is outside the vocabulary [0, " + vocabulary.size() + ")");
      }
      PieceType type = vocabulary.type(id);
      if (type == PieceType.BYTE) {
        pendingBytes.write(Vocabulary.byteOfPiece(vocabulary.piece(id)));
        continue;
      }
      appendBytes(pendingBytes, text);
      if (startSpaceSeen || !text.isEmpty()) {
        atStart = false;
      }
      startSpaceSeen = false;
      switch (type) {
        case CONTROL -> {}
        case UNKNOWN -> text.append(unkSurface);
        default -> {
          String piece = vocabulary.piece(id);
          if (atStart && stripLeadingSpace && piece.startsWith(SPACE_SYMBOL)) {
            piece = piece.substring(SPACE_SYMBOL.length());
            startSpaceSeen = !stripAllLeadingSpace;
          }
          text.append(piece.replace(SPACE_SYMBOL, " "));
        }
      }
    }
    appendBytes(pendingBytes, text);
    String decoded = text.toString();
    return denormalizer == null ? decoded : denormalizer.normalize(decoded).text();
  }

  /** Appends a run of byte pieces, each malformed byte as U+FFFD, as SentencePiece does. */
  static void appendBytes(ByteArrayOutputStream pending, StringBuilder text) {
    if (pending.size() == 0) {
      return;
    }
    byte[] bytes = pending.toByteArray();
    pending.reset();
    for (int i = 0; i < bytes.length; ) {
      int len = Utf8Text.validCharLength(bytes, i, bytes.length);
      if (len == 0) {
        text.append('\uFFFD');
        i++;
      } else {
        text.append(new String(bytes, i, len, StandardCharsets.UTF_8));
        i += len;
      }
    }
  }
}
