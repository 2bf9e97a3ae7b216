package io.lmserve.tokenizer.sentencepiece.proto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Serializes a {@link ModelProto} in the wire format: a {@code .model} file SentencePiece reads.
 */
public final class ModelProtoWriter {

  private ModelProtoWriter() {}

  public static byte[] write(ModelProto model) {
    Out out = new Out();
    for (Piece p : model.pieces()) {
      Out piece = new Out();
      piece.string(1, p.piece());
      piece.fixed32(2, Float.floatToRawIntBits(p.score()));
      piece.varint(3, p.type().number());
      out.message(1, piece);
    }
    TrainerSpec t = model.trainerSpec();
    Out trainer = new Out();
    trainer.varint(3, t.modelType().number());
    trainer.varint(4, t.vocabSize());
    trainer.varint(21, bool(t.splitByUnicodeScript()));
    trainer.varint(23, bool(t.splitByNumber()));
    trainer.varint(22, bool(t.splitByWhitespace()));
    trainer.varint(24, bool(t.treatWhitespaceAsSuffix()));
    trainer.varint(26, bool(t.allowWhitespaceOnlyPieces()));
    trainer.varint(25, bool(t.splitDigits()));
    trainer.varint(35, bool(t.byteFallback()));
    t.controlSymbols().forEach(s -> trainer.string(30, s));
    t.userDefinedSymbols().forEach(s -> trainer.string(31, s));
    trainer.varint(40, t.unkId());
    trainer.varint(41, t.bosId());
    trainer.varint(42, t.eosId());
    trainer.varint(43, t.padId());
    trainer.string(45, t.unkPiece());
    trainer.string(46, t.bosPiece());
    trainer.string(47, t.eosPiece());
    trainer.string(48, t.padPiece());
    trainer.string(44, t.unkSurface());
    out.message(2, trainer);
    out.message(3, normalizer(model.normalizerSpec()));
    model.denormalizer().ifPresent(d -> out.message(5, normalizer(d)));
    return out.bytes.toByteArray();
  }

  private static Out normalizer(NormalizerSpec n) {
    Out out = new Out();
    out.string(1, n.name());
    out.bytes(2, n.precompiledCharsMap());
    out.varint(3, bool(n.addDummyPrefix()));
    out.varint(4, bool(n.removeExtraWhitespaces()));
    out.varint(5, bool(n.escapeWhitespaces()));
    return out;
  }

  private static int bool(boolean b) {
    return b ? 1 : 0;
  }

  private static final class Out {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    void tag(int field, int wireType) {
      raw((long) field << 3 | wireType);
    }

    void raw(long v) {
      while ((v & ~0x7FL) != 0) {
        bytes.write((int) (v & 0x7F) | 0x80);
        v >>>= 7;
      }
      bytes.write((int) v);
    }

    void varint(int field, long value) {
      tag(field, 0);
      raw(value);
    }

    void fixed32(int field, int bits) {
      tag(field, 5);
      for (int i = 0; i < 4; i++) {
        bytes.write(bits >>> (8 * i) & 0xFF);
      }
    }

    void bytes(int field, byte[] b) {
      tag(field, 2);
      raw(b.length);
      bytes.writeBytes(b);
    }

    void string(int field, String s) {
      bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    void message(int field, Out m) {
      bytes(field, m.bytes.toByteArray());
    }
  }
}
