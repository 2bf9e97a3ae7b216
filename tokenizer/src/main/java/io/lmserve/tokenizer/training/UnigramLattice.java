package io.lmserve.tokenizer.training;

import java.util.Arrays;

/**
 * The lattice of one word: every piece occurrence as a node (start, end, piece, score), plus an
 * unknown node for a position no one-character piece covers. Reused across words.
 */
final class UnigramLattice {
  private final PieceTrie trie;
  private final double[] scores;
  private final int maxLength;
  int size;
  int[] start = new int[64];
  int[] end = new int[64];
  int[] piece = new int[64];
  double[] score = new double[64];
  int length;
  private final int[] matchEnds;
  private final int[] matchPieces;

  UnigramLattice(PieceTrie trie, double[] scores, int maxLength) {
    this.trie = trie;
    this.scores = scores;
    this.maxLength = maxLength;
    int most = Math.min(maxLength, PieceTrie.MAX_DEPTH);
    this.matchEnds = new int[most];
    this.matchPieces = new int[most];
  }

  void build(int[] word, double unknownScore) {
    size = 0;
    length = word.length;
    for (int i = 0; i < word.length; i++) {
      int found = trie.matches(word, i, maxLength, matchEnds, matchPieces);
      boolean single = false;
      for (int m = 0; m < found; m++) {
        add(i, matchEnds[m], matchPieces[m], scores[matchPieces[m]]);
        single |= matchEnds[m] == i + 1;
      }
      if (!single) {
        add(i, i + 1, -1, unknownScore);
      }
    }
  }

  private void add(int from, int to, int id, double s) {
    if (size == start.length) {
      int grown = size * 2;
      start = Arrays.copyOf(start, grown);
      end = Arrays.copyOf(end, grown);
      piece = Arrays.copyOf(piece, grown);
      score = Arrays.copyOf(score, grown);
    }
    start[size] = from;
    end[size] = to;
    piece[size] = id;
    score[size++] = s;
  }

  /** Posterior probability of every node (nodes are in order of start position). */
  double[] marginals() {
    double[] alpha = new double[length + 1];
    double[] beta = new double[length + 1];
    Arrays.fill(alpha, Double.NEGATIVE_INFINITY);
    Arrays.fill(beta, Double.NEGATIVE_INFINITY);
    alpha[0] = 0;
    for (int k = 0; k < size; k++) {
      alpha[end[k]] = logAdd(alpha[end[k]], alpha[start[k]] + score[k]);
    }
    beta[length] = 0;
    for (int k = size - 1; k >= 0; k--) {
      beta[start[k]] = logAdd(beta[start[k]], score[k] + beta[end[k]]);
    }
    double z = alpha[length];
    double[] result = new double[size];
    for (int k = 0; k < size; k++) {
      result[k] = Math.exp(alpha[start[k]] + score[k] + beta[end[k]] - z);
    }
    return result;
  }

  /**
   * Piece ids of the best segmentation, ignoring the whole-word node of piece {@code excluded} (-1
   * for none); null if no segmentation remains. Unknown nodes appear as -1.
   */
  int[] viterbi(int excluded) {
    double[] best = new double[length + 1];
    int[] back = new int[length + 1];
    Arrays.fill(best, Double.NEGATIVE_INFINITY);
    Arrays.fill(back, -1);
    best[0] = 0;
    for (int k = 0; k < size; k++) {
      if (piece[k] == excluded && start[k] == 0 && end[k] == length) {
        continue;
      }
      double candidate = best[start[k]] + score[k];
      if (candidate > best[end[k]]) {
        best[end[k]] = candidate;
        back[end[k]] = k;
      }
    }
    if (back[length] < 0 && length > 0) {
      return null;
    }
    int count = 0;
    for (int pos = length; pos > 0; pos = start[back[pos]]) {
      count++;
    }
    int[] path = new int[count];
    for (int pos = length; pos > 0; pos = start[back[pos]]) {
      path[--count] = piece[back[pos]];
    }
    return path;
  }

  private static double logAdd(double a, double b) {
    if (a == Double.NEGATIVE_INFINITY) {
      return b;
    }
    if (b == Double.NEGATIVE_INFINITY) {
      return a;
    }
    double max = Math.max(a, b);
    double gap = Math.abs(a - b);
    // exp(-50) is below double precision relative to 1: the smaller term no longer counts.
    return gap > 50 ? max : max + Math.log(1 + Math.exp(-gap));
  }
}
