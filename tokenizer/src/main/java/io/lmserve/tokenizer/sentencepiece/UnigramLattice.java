package io.lmserve.tokenizer.sentencepiece;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The full lattice of a Unigram segmentation, for what needs more than the single best path: n-best
 * lists (SentencePiece's A* search, reproduced down to its priority queue's order among equal
 * scores) and sampling (subword regularization).
 *
 * <p>Nodes are numbered in the order SentencePiece inserts them: by start position, then by length,
 * the unknown node last. Node 0 is the start (BOS), node 1 the end (EOS).
 */
final class UnigramLattice {

  private static final int BOS = 0;
  private static final int EOS = 1;
  private static final int MAX_AGENDA = 100_000;
  private static final int MIN_AGENDA = 512;

  // Per node: [begin, end) in bytes, piece id, score.
  private int[] begin = new int[64];
  private int[] end = new int[64];
  private int[] id = new int[64];
  private float[] score = new float[64];
  private int count;

  /** Per byte position: the nodes ending there, in insertion order. */
  private final List<List<Integer>> endingAt;

  UnigramLattice(UnigramSegmenter model, byte[] text, int length) {
    endingAt = new ArrayList<>(length + 1);
    for (int i = 0; i <= length; i++) {
      endingAt.add(new ArrayList<>(4));
    }
    add(0, 0, -1, 0f); // BOS, ending at 0
    add(length, length, -1, 0f); // EOS, starting at the end; nothing follows it
    endingAt.get(0).add(BOS);
    model.forEachCandidate(
        text,
        length,
        (from, to, pieceId) -> {
          int node = add(from, to, pieceId, model.latticeScore(text, from, to, pieceId));
          endingAt.get(to).add(node);
        });
  }

  private int add(int from, int to, int pieceId, float pieceScore) {
    if (count == begin.length) {
      int c = count * 2;
      begin = Arrays.copyOf(begin, c);
      end = Arrays.copyOf(end, c);
      id = Arrays.copyOf(id, c);
      score = Arrays.copyOf(score, c);
    }
    begin[count] = from;
    end[count] = to;
    id[count] = pieceId;
    score[count] = pieceScore;
    return count++;
  }

  /** Best score from the start through each node (inclusive), as SentencePiece's Viterbi. */
  private float[] forward() {
    float[] backtrace = new float[count];
    // Nodes in insertion order are sorted by start, so predecessors are final when reached.
    for (int node = 2; node < count; node++) {
      backtrace[node] = bestThrough(backtrace, node);
    }
    backtrace[EOS] = bestThrough(backtrace, EOS);
    return backtrace;
  }

  /** The best path score through {@code node}: the first best of its predecessors wins. */
  private float bestThrough(float[] backtrace, int node) {
    float best = 0;
    boolean found = false;
    for (int left : endingAt.get(begin[node])) {
      float s = backtrace[left] + score[node];
      if (!found || s > best) {
        best = s;
        found = true;
      }
    }
    return best;
  }

  /**
   * Up to {@code n} best segmentations, best first, each as its node ids' pieces. Equal-score
   * hypotheses come out in the order SentencePiece's {@code std::priority_queue} gives them.
   */
  List<Segments> nbest(int n) {
    float[] backtrace = forward();
    Hypotheses agenda = new Hypotheses();
    List<Segments> results = new ArrayList<>();
    agenda.push(EOS, -1, score[EOS], score[EOS]);
    while (!agenda.isEmpty()) {
      int top = agenda.pop();
      int node = agenda.node[top];
      if (node == BOS) {
        Segments path = new Segments();
        for (int h = agenda.next[top]; agenda.next[h] >= 0; h = agenda.next[h]) {
          int k = agenda.node[h];
          path.add(begin[k], end[k], id[k]);
        }
        results.add(path);
        if (results.size() == n) {
          break;
        }
        continue;
      }
      for (int left : endingAt.get(begin[node])) {
        float gx = score[left] + agenda.gx[top];
        float fx = backtrace[left] + agenda.gx[top];
        agenda.push(left, top, fx, gx);
      }
      if (agenda.size >= MAX_AGENDA) {
        agenda.shrinkTo(Math.min(MIN_AGENDA, n * 10));
      }
    }
    return results;
  }

  /**
   * A segmentation drawn with probability proportional to {@code exp(theta * score)}: forward sums,
   * then sampling backwards from the end, as SentencePiece's subword regularization does.
   */
  Segments sample(float theta, RandomGenerator random) {
    double[] alpha = new double[count];
    for (int node = 2; node < count; node++) {
      alpha[node] = logSumBefore(alpha, begin[node], theta);
    }
    alpha[EOS] = logSumBefore(alpha, begin[EOS], theta);
    List<Integer> reversed = new ArrayList<>();
    double z = alpha[EOS];
    int node = EOS;
    while (true) {
      List<Integer> lefts = endingAt.get(begin[node]);
      double[] weights = new double[lefts.size()];
      double total = 0;
      for (int k = 0; k < weights.length; k++) {
        int left = lefts.get(k);
        weights[k] = Math.exp(alpha[left] + theta * score[left] - z);
        total += weights[k];
      }
      double r = random.nextDouble() * total;
      int pick = weights.length - 1;
      for (int k = 0; k < weights.length; k++) {
        r -= weights[k];
        if (r < 0) {
          pick = k;
          break;
        }
      }
      node = lefts.get(pick);
      if (node == BOS) {
        break;
      }
      z = alpha[node];
      reversed.add(node);
    }
    Segments path = new Segments();
    for (int k = reversed.size() - 1; k >= 0; k--) {
      int n = reversed.get(k);
      path.add(begin[n], end[n], id[n]);
    }
    return path;
  }

  private double logSumBefore(double[] alpha, int position, float theta) {
    double sum = Double.NEGATIVE_INFINITY;
    for (int left : endingAt.get(position)) {
      double v = theta * score[left] + alpha[left];
      sum = sum == Double.NEGATIVE_INFINITY ? v : logAddExp(sum, v);
    }
    return sum;
  }

  private static double logAddExp(double x, double y) {
    double hi = Math.max(x, y);
    double lo = Math.min(x, y);
    return hi > lo + 50 ? hi : hi + Math.log(Math.exp(lo - hi) + 1.0);
  }

  /**
   * The A* agenda as libstdc++'s {@code std::priority_queue} keeps it (a binary max-heap by fx with
   * its exact sift rules), so that hypotheses of equal fx pop in the same order as in
   * SentencePiece.
   */
  private static final class Hypotheses {
    int[] node = new int[64];
    int[] next = new int[64];
    float[] fx = new float[64];
    float[] gx = new float[64];
    int allocated;
    int[] heap = new int[64];
    int size;

    boolean isEmpty() {
      return size == 0;
    }

    void push(int n, int nx, float f, float g) {
      if (allocated == node.length) {
        int c = allocated * 2;
        node = Arrays.copyOf(node, c);
        next = Arrays.copyOf(next, c);
        fx = Arrays.copyOf(fx, c);
        gx = Arrays.copyOf(gx, c);
      }
      node[allocated] = n;
      next[allocated] = nx;
      fx[allocated] = f;
      gx[allocated] = g;
      pushHeap(allocated++);
    }

    private void pushHeap(int h) {
      if (size == heap.length) {
        heap = Arrays.copyOf(heap, size * 2);
      }
      heap[size] = h;
      size++;
      siftUp(size - 1, 0, h);
    }

    /** libstdc++ {@code __push_heap}. */
    private void siftUp(int hole, int top, int value) {
      int parent = (hole - 1) / 2;
      while (hole > top && fx[heap[parent]] < fx[value]) {
        heap[hole] = heap[parent];
        hole = parent;
        parent = (hole - 1) / 2;
      }
      heap[hole] = value;
    }

    /** libstdc++ {@code pop_heap} then {@code pop_back}. */
    int pop() {
      int top = heap[0];
      if (size > 1) {
        int value = heap[size - 1];
        heap[size - 1] = heap[0];
        adjust(0, size - 1, value);
      }
      size--;
      return top;
    }

    /** libstdc++ {@code __adjust_heap} over {@code heap[0, len)}. */
    private void adjust(int hole, int len, int value) {
      int top = hole;
      int child = hole;
      while (child < (len - 1) / 2) {
        child = 2 * (child + 1);
        if (fx[heap[child]] < fx[heap[child - 1]]) {
          child--;
        }
        heap[hole] = heap[child];
        hole = child;
      }
      if ((len & 1) == 0 && child == (len - 2) / 2) {
        child = 2 * (child + 1);
        heap[hole] = heap[child - 1];
        hole = child - 1;
      }
      siftUp(hole, top, value);
    }

    /** Keeps the best {@code keep} hypotheses, re-pushed in pop order into a new heap. */
    void shrinkTo(int keep) {
      int[] kept = new int[Math.min(keep, size)];
      for (int i = 0; i < kept.length; i++) {
        kept[i] = pop();
      }
      size = 0;
      for (int h : kept) {
        pushHeap(h);
      }
    }
  }
}
