package io.lmserve.tokenizer.sentencepiece;

import io.lmserve.tokenizer.sentencepiece.proto.PieceType;

/**
 * The best segmentation under a unigram language model (Viterbi), computed as SentencePiece does,
 * down to its arithmetic: at each character position the pieces starting there are found by walking
 * the trie, each path score is a {@code float} sum of piece scores, and among equal scores the path
 * found first (the one whose last piece starts earliest) wins.
 */
final class UnigramSegmenter implements Segmenter {

  /** SentencePiece's penalty that puts an unknown character below every real piece. */
  private static final float UNK_PENALTY = 10.0f;

  private final PieceTrie trie;
  private final float[] scores;
  private final boolean[] userDefined;
  private final boolean[] unused;
  private final int unkId;
  private final float unkScore;
  private final float maxScore;

  UnigramSegmenter(Vocabulary vocabulary) {
    int n = vocabulary.size();
    trie = vocabulary.trie();
    scores = new float[n];
    userDefined = new boolean[n];
    unused = new boolean[n];
    float min = Float.MAX_VALUE;
    float max = Float.MIN_VALUE; // as SentencePiece initializes it: the smallest positive float
    for (int id = 0; id < n; id++) {
      scores[id] = vocabulary.score(id);
      userDefined[id] = vocabulary.type(id) == PieceType.USER_DEFINED;
      unused[id] = vocabulary.type(id) == PieceType.UNUSED;
      if (vocabulary.type(id) == PieceType.NORMAL) {
        min = Math.min(min, scores[id]);
        max = Math.max(max, scores[id]);
      }
    }
    unkId = vocabulary.unkId();
    unkScore = min - UNK_PENALTY;
    maxScore = max;
  }

  /** Receives one lattice node: a piece (or the unknown id) over {@code text[from, to)}. */
  @FunctionalInterface
  interface CandidateSink {
    void candidate(int from, int to, int pieceId);
  }

  /**
   * Every lattice node in SentencePiece's order: by start, then by length, and an unknown node
   * where no piece covers the single character at a start.
   */
  void forEachCandidate(byte[] text, int length, CandidateSink sink) {
    for (int start = 0; start < length; ) {
      int charLength = Math.min(Utf8Text.charLengthFromLead(text[start]), length - start);
      boolean singleCharPiece = false;
      int node = PieceTrie.ROOT;
      for (int end = start; end < length; ) {
        node = trie.child(node, text[end]);
        end++;
        if (node < 0) {
          break;
        }
        int id = trie.value(node);
        if (id < 0 || unused[id]) {
          continue;
        }
        sink.candidate(start, end, id);
        singleCharPiece |= end - start == charLength;
      }
      if (!singleCharPiece) {
        sink.candidate(start, start + charLength, unkId);
      }
      start += charLength;
    }
  }

  /**
   * A node's score in the lattice (n-best, sampling); user-defined pieces always win, by their
   * length in characters.
   */
  float latticeScore(byte[] text, int from, int to, int id) {
    if (id == unkId) {
      return unkScore;
    }
    if (!userDefined[id]) {
      return scores[id];
    }
    int chars = 0;
    for (int i = from; i < to; i++) {
      chars += (text[i] & 0xC0) != 0x80 ? 1 : 0;
    }
    return chars * maxScore - 0.1f;
  }

  /**
   * Viterbi over the lattice of {@link #forEachCandidate}, with the trie walk inlined and no node
   * objects: three arrays indexed by byte position hold the best path ending there.
   */
  @Override
  public Segments segment(byte[] text, int length) {
    // best[e]: score of the best path over text[0, e); from[e]: where its last piece starts.
    float[] best = new float[length + 1];
    int[] from = new int[length + 1];
    int[] piece = new int[length + 1];
    java.util.Arrays.fill(from, 1, length + 1, -1);
    for (int start = 0; start < length; ) {
      int charLength = Math.min(Utf8Text.charLengthFromLead(text[start]), length - start);
      float here = best[start];
      boolean singleCharPiece = false;
      int node = PieceTrie.ROOT;
      for (int end = start; end < length; ) {
        node = trie.child(node, text[end]);
        end++;
        if (node < 0) {
          break;
        }
        int id = trie.value(node);
        if (id < 0 || unused[id]) {
          continue;
        }
        // SentencePiece sums in double here (the user-defined bonus is a double expression).
        double score =
            userDefined[id] ? (double) ((end - start) * maxScore) - 0.1 : (double) scores[id];
        double sum = score + here;
        if (from[end] == -1 || sum > best[end]) {
          best[end] = (float) sum;
          from[end] = start;
          piece[end] = id;
        }
        singleCharPiece |= end - start == charLength;
      }
      if (!singleCharPiece) {
        int end = start + charLength;
        float candidate = unkScore + here; // float, as in SentencePiece
        if (from[end] == -1 || candidate > best[end]) {
          best[end] = candidate;
          from[end] = start;
          piece[end] = unkId;
        }
      }
      start += charLength;
    }
    int count = 0;
    for (int end = length; end > 0; end = from[end]) {
      count++;
    }
    Segments out = new Segments(count);
    for (int end = length; end > 0; end = from[end]) {
      out.add(from[end], end, piece[end]);
    }
    out.reverse();
    return out;
  }
}
