package io.lmserve.tokenizer.model;

import io.lmserve.tokenizer.sentencepiece.PieceTrie;
import io.lmserve.tokenizer.sentencepiece.Utf8Text;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HF tokenizers' {@code Unigram} model: the Viterbi segmentation of a word under piece scores, as
 * HF computes it (double sums, every vocabulary entry matchable, unknown characters fused into one
 * token, the unknown score the lowest score minus 10), with optional byte fallback.
 *
 * <p>This is the {@code tokenizer.json} form of a SentencePiece Unigram model; a {@code .model}
 * file goes through {@code io.lmserve.tokenizer.sentencepiece}, which follows SentencePiece where
 * the two differ (ties between equal-score segmentations).
 */
public final class Unigram implements Model {

  private static final double UNK_PENALTY = 10.0;

  /** One vocabulary entry: the piece and its log probability. */
  public record Piece(String piece, double score) {}

  private final List<Piece> pieces;
  private final Vocabulary vocabulary;
  private final PieceTrie trie;
  private final double[] scores;
  private final int unkId;
  private final boolean byteFallback;
  private final int[] byteIds;
  private final double unkScore;

  /**
   * @param unkId the unknown piece's id, or -1 for none (then an unknown character is an error)
   */
  public Unigram(List<Piece> pieces, int unkId, boolean byteFallback) {
    if (pieces.isEmpty()) {
      throw new IllegalArgumentException("a Unigram model needs at least one piece");
    }
    if (unkId >= pieces.size()) {
      throw new IllegalArgumentException(
          "Unigram unk_id " + unkId + " is outside the vocabulary of " + pieces.size());
    }
    this.pieces = List.copyOf(pieces);
    this.unkId = unkId;
    this.byteFallback = byteFallback;
    Map<String, Integer> ids = new LinkedHashMap<>();
    scores = new double[pieces.size()];
    double min = Double.POSITIVE_INFINITY;
    for (int id = 0; id < pieces.size(); id++) {
      Piece p = pieces.get(id);
      if (p.piece().isEmpty()) {
        throw new IllegalArgumentException("Unigram piece " + id + " is empty");
      }
      ids.put(p.piece(), id); // a repeated piece: the last id wins, as in HF
      scores[id] = p.score();
      min = Math.min(min, p.score());
    }
    Map<String, Integer> byId = new LinkedHashMap<>();
    List<PieceTrie.Entry> entries = new ArrayList<>();
    ids.forEach(
        (piece, id) ->
            entries.add(new PieceTrie.Entry(piece.getBytes(StandardCharsets.UTF_8), id)));
    for (int id = 0; id < pieces.size(); id++) {
      byId.putIfAbsent(pieces.get(id).piece(), id);
    }
    this.vocabulary = new Vocabulary(byId);
    this.trie = PieceTrie.build(entries);
    this.unkScore = min - UNK_PENALTY;
    byteIds = new int[256];
    for (int b = 0; b < 256; b++) {
      Integer id = ids.get("<0x%02X>".formatted(b));
      byteIds[b] = id == null ? -1 : id;
    }
  }

  public List<Piece> pieces() {
    return pieces;
  }

  public int unkId() {
    return unkId;
  }

  public boolean byteFallback() {
    return byteFallback;
  }

  @Override
  public Vocabulary vocabulary() {
    return vocabulary;
  }

  @Override
  public void tokenize(String word, TokenSink sink) {
    Utf8Text text = Utf8Text.of(word);
    byte[] s = text.bytes();
    int n = s.length;
    if (n == 0) {
      return;
    }
    double[] best = new double[n + 1];
    int[] from = new int[n + 1];
    int[] piece = new int[n + 1];
    java.util.Arrays.fill(from, -1);
    for (int start = 0; start < n; ) {
      double scoreHere = best[start];
      int charLength = Utf8Text.charLengthFromLead(s[start]);
      boolean singleCharPiece = false;
      int node = PieceTrie.ROOT;
      for (int end = start; end < n; ) {
        node = trie.child(node, s[end]);
        end++;
        if (node < 0) {
          break;
        }
        int id = trie.value(node);
        if (id < 0) {
          continue;
        }
        double candidate = scores[id] + scoreHere;
        if (from[end] == -1 || candidate > best[end]) {
          best[end] = candidate;
          from[end] = start;
          piece[end] = id;
        }
        singleCharPiece |= end - start == charLength;
      }
      if (!singleCharPiece) {
        if (unkId < 0) {
          throw new IllegalArgumentException(
              "Unigram: '" + word + "' holds a character no piece covers and there is no unk_id");
        }
        int end = start + charLength;
        double candidate = unkScore + scoreHere;
        if (from[end] == -1 || candidate > best[end]) {
          best[end] = candidate;
          from[end] = start;
          piece[end] = unkId;
        }
      }
      start += charLength;
    }
    emit(text, from, piece, sink);
  }

  /** Walks the best path back, fusing runs of unknown pieces, and reports it in order. */
  private void emit(Utf8Text text, int[] from, int[] piece, TokenSink sink) {
    int n = text.length();
    List<int[]> path = new ArrayList<>(); // {start, end, id}, last piece first
    for (int end = n; end > 0; ) {
      int start = from[end];
      int id = piece[end];
      if (id == unkId && !path.isEmpty() && path.getLast()[2] == unkId) {
        path.getLast()[0] = start;
      } else {
        path.add(new int[] {start, end, id});
      }
      end = start;
    }
    byte[] s = text.bytes();
    for (int k = path.size() - 1; k >= 0; k--) {
      int[] p = path.get(k);
      int start = text.charStart()[p[0]];
      int end = text.charEnd()[p[1] - 1];
      int id = p[2] == unkId ? trie.get(s, p[0], p[1]) : p[2];
      if (id >= 0) {
        sink.token(id, start, end);
      } else if (byteFallback && allBytesKnown(s, p[0], p[1])) {
        for (int b = p[0]; b < p[1]; b++) {
          sink.token(byteIds[s[b] & 0xFF], start, end);
        }
      } else {
        sink.token(unkId, start, end);
      }
    }
  }

  private boolean allBytesKnown(byte[] s, int from, int to) {
    for (int b = from; b < to; b++) {
      if (byteIds[s[b] & 0xFF] < 0) {
        return false;
      }
    }
    return true;
  }
}
