package io.lmserve.tokenizer.sentencepiece.proto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a SentencePiece {@code .model} file (a serialized {@code sentencepiece.ModelProto}).
 *
 * <p>The schema needs a handful of fields, so this reads the protobuf wire format directly instead
 * of depending on protobuf-java and generated classes. Unknown fields are skipped, as protobuf
 * does, so models written by newer SentencePiece versions still load.
 */
public final class ModelProtoReader {

  /** Larger than any published model (XLM-R's 250k-piece model is 5 MB) by two orders. */
  public static final long MAX_MODEL_BYTES = 1L << 30;

  private ModelProtoReader() {}

  public static ModelProto read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_MODEL_BYTES) {
      throw new MalformedModelException(
          file + " is " + size + " bytes, more than the " + MAX_MODEL_BYTES + " a model may have");
    }
    byte[] data;
    try (InputStream in = Files.newInputStream(file)) {
      data = in.readNBytes((int) MAX_MODEL_BYTES + 1);
    }
    try {
      return parse(data, file.toString());
    } catch (MalformedModelException e) {
      throw new MalformedModelException(e.getMessage() + " (" + file + ")", e);
    }
  }

  public static ModelProto parse(byte[] data) {
    return parse(data, "ModelProto");
  }

  private static ModelProto parse(byte[] data, String name) {
    if (data.length > MAX_MODEL_BYTES) {
      throw new MalformedModelException("a model may have at most " + MAX_MODEL_BYTES + " bytes");
    }
    WireReader in = new WireReader(data, "ModelProto");
    List<Piece> pieces = new ArrayList<>();
    TrainerSpec trainer = TrainerSpec.defaults();
    NormalizerSpec normalizer = NormalizerSpec.defaults();
    Optional<NormalizerSpec> denormalizer = Optional.empty();
    while (in.hasMore()) {
      int tag = in.readTag();
      switch (WireReader.fieldNumber(tag)) {
        case 1 -> {
          in.expect(tag, WireReader.LENGTH_DELIMITED, "pieces");
          pieces.add(readPiece(in.readMessage("pieces[" + pieces.size() + "]")));
        }
        case 2 -> {
          in.expect(tag, WireReader.LENGTH_DELIMITED, "trainer_spec");
          trainer = readTrainerSpec(in.readMessage("trainer_spec"));
        }
        case 3 -> {
          in.expect(tag, WireReader.LENGTH_DELIMITED, "normalizer_spec");
          normalizer = readNormalizerSpec(in.readMessage("normalizer_spec"));
        }
        case 5 -> {
          in.expect(tag, WireReader.LENGTH_DELIMITED, "denormalizer_spec");
          denormalizer = Optional.of(readNormalizerSpec(in.readMessage("denormalizer_spec")));
        }
        default -> in.skipField(tag);
      }
    }
    if (pieces.isEmpty()) {
      throw new MalformedModelException(
          "not a valid SentencePiece model: " + name + " has no pieces");
    }
    return new ModelProto(pieces, trainer, normalizer, denormalizer);
  }

  private static Piece readPiece(WireReader in) {
    String piece = "";
    float score = 0f;
    PieceType type = PieceType.NORMAL;
    while (in.hasMore()) {
      int tag = in.readTag();
      switch (WireReader.fieldNumber(tag)) {
        case 1 -> {
          in.expect(tag, WireReader.LENGTH_DELIMITED, "piece");
          piece = in.readString();
        }
        case 2 -> {
          in.expect(tag, WireReader.FIXED32, "score");
          score = in.readFloat();
        }
        case 3 -> {
          in.expect(tag, WireReader.VARINT, "type");
          type = PieceType.of(in.readInt32());
        }
        default -> in.skipField(tag);
      }
    }
    return new Piece(piece, score, type);
  }

  private static TrainerSpec readTrainerSpec(WireReader in) {
    TrainerSpec d = TrainerSpec.defaults();
    ModelType modelType = d.modelType();
    int vocabSize = d.vocabSize();
    boolean splitByUnicodeScript = d.splitByUnicodeScript();
    boolean splitByNumber = d.splitByNumber();
    boolean splitByWhitespace = d.splitByWhitespace();
    boolean treatWhitespaceAsSuffix = d.treatWhitespaceAsSuffix();
    boolean allowWhitespaceOnlyPieces = d.allowWhitespaceOnlyPieces();
    boolean splitDigits = d.splitDigits();
    boolean byteFallback = d.byteFallback();
    List<String> controlSymbols = new ArrayList<>();
    List<String> userDefinedSymbols = new ArrayList<>();
    int unkId = d.unkId();
    int bosId = d.bosId();
    int eosId = d.eosId();
    int padId = d.padId();
    String unkPiece = d.unkPiece();
    String bosPiece = d.bosPiece();
    String eosPiece = d.eosPiece();
    String padPiece = d.padPiece();
    String unkSurface = d.unkSurface();
    while (in.hasMore()) {
      int tag = in.readTag();
      int field = WireReader.fieldNumber(tag);
      switch (field) {
        case 3 -> modelType = ModelType.of(varint(in, tag, "model_type"));
        case 4 -> vocabSize = varint(in, tag, "vocab_size");
        case 21 -> splitByUnicodeScript = varint(in, tag, "split_by_unicode_script") != 0;
        case 23 -> splitByNumber = varint(in, tag, "split_by_number") != 0;
        case 22 -> splitByWhitespace = varint(in, tag, "split_by_whitespace") != 0;
        case 24 -> treatWhitespaceAsSuffix = varint(in, tag, "treat_whitespace_as_suffix") != 0;
        case 26 -> allowWhitespaceOnlyPieces = varint(in, tag, "allow_whitespace_only_pieces") != 0;
        case 25 -> splitDigits = varint(in, tag, "split_digits") != 0;
        case 35 -> byteFallback = varint(in, tag, "byte_fallback") != 0;
        case 30 -> controlSymbols.add(string(in, tag, "control_symbols"));
        case 31 -> userDefinedSymbols.add(string(in, tag, "user_defined_symbols"));
        case 40 -> unkId = varint(in, tag, "unk_id");
        case 41 -> bosId = varint(in, tag, "bos_id");
        case 42 -> eosId = varint(in, tag, "eos_id");
        case 43 -> padId = varint(in, tag, "pad_id");
        case 45 -> unkPiece = string(in, tag, "unk_piece");
        case 46 -> bosPiece = string(in, tag, "bos_piece");
        case 47 -> eosPiece = string(in, tag, "eos_piece");
        case 48 -> padPiece = string(in, tag, "pad_piece");
        case 44 -> unkSurface = string(in, tag, "unk_surface");
        default -> in.skipField(tag);
      }
    }
    return new TrainerSpec(
        modelType,
        vocabSize,
        splitByUnicodeScript,
        splitByNumber,
        splitByWhitespace,
        treatWhitespaceAsSuffix,
        allowWhitespaceOnlyPieces,
        splitDigits,
        byteFallback,
        controlSymbols,
        userDefinedSymbols,
        unkId,
        bosId,
        eosId,
        padId,
        unkPiece,
        bosPiece,
        eosPiece,
        padPiece,
        unkSurface);
  }

  private static NormalizerSpec readNormalizerSpec(WireReader in) {
    NormalizerSpec d = NormalizerSpec.defaults();
    String name = d.name();
    byte[] charsMap = d.precompiledCharsMap();
    boolean addDummyPrefix = d.addDummyPrefix();
    boolean removeExtraWhitespaces = d.removeExtraWhitespaces();
    boolean escapeWhitespaces = d.escapeWhitespaces();
    while (in.hasMore()) {
      int tag = in.readTag();
      switch (WireReader.fieldNumber(tag)) {
        case 1 -> name = string(in, tag, "name");
        case 2 -> {
          in.expect(tag, WireReader.LENGTH_DELIMITED, "precompiled_charsmap");
          charsMap = in.readBytes();
        }
        case 3 -> addDummyPrefix = varint(in, tag, "add_dummy_prefix") != 0;
        case 4 -> removeExtraWhitespaces = varint(in, tag, "remove_extra_whitespaces") != 0;
        case 5 -> escapeWhitespaces = varint(in, tag, "escape_whitespaces") != 0;
        default -> in.skipField(tag);
      }
    }
    return new NormalizerSpec(
        name, charsMap, addDummyPrefix, removeExtraWhitespaces, escapeWhitespaces);
  }

  private static int varint(WireReader in, int tag, String field) {
    in.expect(tag, WireReader.VARINT, field);
    return in.readInt32();
  }

  private static String string(WireReader in, int tag, String field) {
    in.expect(tag, WireReader.LENGTH_DELIMITED, field);
    return in.readString();
  }
}
