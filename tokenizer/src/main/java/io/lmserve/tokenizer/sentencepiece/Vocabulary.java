package io.lmserve.tokenizer.sentencepiece;

import io.lmserve.tokenizer.sentencepiece.proto.MalformedModelException;
import io.lmserve.tokenizer.sentencepiece.proto.ModelProto;
import io.lmserve.tokenizer.sentencepiece.proto.Piece;
import io.lmserve.tokenizer.sentencepiece.proto.PieceType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pieces of a model with the lookups segmentation needs, checked as SentencePiece checks a
 * model when loading it: pieces unique and non-empty, exactly one unknown piece, and all 256 byte
 * pieces when byte fallback is on.
 */
final class Vocabulary {

  private final String[] pieces;
  private final float[] scores;
  private final PieceType[] types;
  private final Map<String, Integer> ids;
  private final int unkId;
  private final int[] byteIds;

  /** The pieces segmentation can produce (normal, user-defined, unused), by their UTF-8 bytes. */
  private final PieceTrie trie;

  /** User-defined pieces only: kept whole by the normalizer and the BPE splitter. */
  private final PieceTrie userDefined;

  /** Control, unknown and byte pieces, which take precedence when a string is looked up. */
  private final PieceTrie reservedTrie;

  /** Segmentable pieces spelled like a reserved piece, which wins when looked up by string. */
  private final boolean[] hasReservedTwin;

  Vocabulary(ModelProto model) {
    List<Piece> list = model.pieces();
    int n = list.size();
    pieces = new String[n];
    scores = new float[n];
    types = new PieceType[n];
    ids = HashMap.newHashMap(n);
    Map<String, Integer> reserved = new HashMap<>();
    List<PieceTrie.Entry> segmentable = new ArrayList<>();
    List<PieceTrie.Entry> userDefinedEntries = new ArrayList<>();
    List<PieceTrie.Entry> reservedEntries = new ArrayList<>();
    byteIds = new int[256];
    java.util.Arrays.fill(byteIds, -1);
    int unk = -1;
    boolean byteFallback = model.trainerSpec().byteFallback();
    for (int i = 0; i < n; i++) {
      Piece p = list.get(i);
      if (p.piece().isEmpty()) {
        throw invalid("piece " + i + " is empty");
      }
      pieces[i] = p.piece();
      scores[i] = p.score();
      types[i] = p.type();
      boolean segmentableType =
          p.type() == PieceType.NORMAL
              || p.type() == PieceType.USER_DEFINED
              || p.type() == PieceType.UNUSED;
      Map<String, Integer> target = segmentableType ? ids : reserved;
      if (target.putIfAbsent(p.piece(), i) != null) {
        throw invalid("piece " + p.piece() + " is defined twice");
      }
      byte[] utf8 = p.piece().getBytes(StandardCharsets.UTF_8);
      (segmentableType ? segmentable : reservedEntries).add(new PieceTrie.Entry(utf8, i));
      if (p.type() == PieceType.USER_DEFINED) {
        userDefinedEntries.add(new PieceTrie.Entry(utf8, i));
      }
      if (p.type() == PieceType.UNKNOWN) {
        if (unk >= 0) {
          throw invalid("there is more than one unknown piece (" + unk + " and " + i + ")");
        }
        unk = i;
      }
      if (p.type() == PieceType.BYTE) {
        if (!byteFallback) {
          throw invalid("byte piece " + p.piece() + " found although byte_fallback is false");
        }
        int b = byteOfPiece(p.piece());
        if (b < 0) {
          throw invalid("byte piece " + p.piece() + " is not of the form <0xNN>");
        }
        byteIds[b] = i;
      }
    }
    if (unk < 0) {
      throw invalid("there is no unknown piece");
    }
    if (byteFallback) {
      for (int b = 0; b < 256; b++) {
        if (byteIds[b] < 0) {
          throw invalid("byte_fallback is on but there is no piece <0x%02X>".formatted(b));
        }
      }
    }
    reserved.forEach(ids::put);
    unkId = unk;
    trie = PieceTrie.build(segmentable);
    userDefined = userDefinedEntries.isEmpty() ? null : PieceTrie.build(userDefinedEntries);
    reservedTrie = PieceTrie.build(reservedEntries);
    hasReservedTwin = new boolean[n];
    for (int id = 0; id < n; id++) {
      hasReservedTwin[id] = reserved.containsKey(pieces[id]) && reserved.get(pieces[id]) != id;
    }
  }

  private static MalformedModelException invalid(String problem) {
    return new MalformedModelException("not a valid SentencePiece model: " + problem);
  }

  /** {@code <0xNN>} → NN, else -1. */
  static int byteOfPiece(String piece) {
    if (piece.length() != 6 || !piece.startsWith("<0x") || piece.charAt(5) != '>') {
      return -1;
    }
    int hi = Character.digit(piece.charAt(3), 16);
    int lo = Character.digit(piece.charAt(4), 16);
    return hi < 0
            || lo < 0
            || Character.isLowerCase(piece.charAt(3))
            || Character.isLowerCase(piece.charAt(4))
        ? -1
        : hi * 16 + lo;
  }

  int size() {
    return pieces.length;
  }

  String piece(int id) {
    return pieces[id];
  }

  float score(int id) {
    return scores[id];
  }

  PieceType type(int id) {
    return types[id];
  }

  /** The id of a piece; an unknown string gives the unknown id, as SentencePiece's PieceToId. */
  int idOf(String piece) {
    return ids.getOrDefault(piece, unkId);
  }

  /** The id of a piece, or -1 for a string that is no piece. */
  int exactId(String piece) {
    Integer id = ids.get(piece);
    return id == null ? -1 : id;
  }

  /**
   * The id of the piece spelled by {@code text[from, to)}, looked up as SentencePiece's PieceToId
   * does: reserved pieces first, then the others, else the unknown id.
   */
  int segmentId(byte[] text, int from, int to) {
    return segmentId(text, from, to, trie.get(text, from, to));
  }

  /** {@link #segmentId(byte[], int, int)} when the segmentable lookup is already known. */
  int segmentId(byte[] text, int from, int to, int segmentableId) {
    if (segmentableId >= 0 && !hasReservedTwin[segmentableId]) {
      return segmentableId;
    }
    int reserved = reservedTrie.get(text, from, to);
    if (reserved >= 0) {
      return reserved;
    }
    return segmentableId >= 0 ? segmentableId : unkId;
  }

  int unkId() {
    return unkId;
  }

  /** The id of byte piece {@code <0xNN>}, or -1 without byte fallback. */
  int byteId(int b) {
    return byteIds[b & 0xFF];
  }

  PieceTrie trie() {
    return trie;
  }

  /** The user-defined pieces, or null if the model has none. */
  PieceTrie userDefined() {
    return userDefined;
  }
}
