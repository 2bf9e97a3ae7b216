package io.lmserve.tokenizer.sentencepiece;

import io.lmserve.tokenizer.sentencepiece.proto.PieceType;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * SentencePiece's BPE: start from characters (user-defined pieces kept whole and frozen), then
 * repeatedly merge the adjacent pair whose merged string is the highest-scoring piece, leftmost
 * first among equal scores. Merges that produce an unused piece are undone at the end.
 */
final class BpeSegmenter implements Segmenter {

  private final Vocabulary vocabulary;
  private final PieceTrie trie;
  private final PieceTrie userDefined;

  BpeSegmenter(Vocabulary vocabulary) {
    this.vocabulary = vocabulary;
    this.trie = vocabulary.trie();
    this.userDefined = vocabulary.userDefined();
  }

  @Override
  public Segments segment(byte[] text, int length) {
    Symbols symbols = new Symbols(text, length, userDefined);
    int n = symbols.count;
    if (n == 0) {
      return new Segments();
    }
    Agenda agenda = new Agenda(n);
    Map<String, Integer> unusedSplits = new HashMap<>();
    for (int i = 1; i < n; i++) {
      offer(symbols, agenda, i - 1, i, text, unusedSplits);
    }
    while (!agenda.isEmpty()) {
      int top = agenda.pop();
      int left = agenda.left[top];
      int right = agenda.right[top];
      // Stale when either side changed since the pair was offered.
      if (symbols.length[left] == 0
          || symbols.length[right] == 0
          || symbols.length[left] + symbols.length[right] != agenda.size[top]) {
        continue;
      }
      symbols.length[left] += symbols.length[right];
      symbols.length[right] = 0;
      symbols.next[left] = symbols.next[right];
      if (symbols.next[right] >= 0) {
        symbols.prev[symbols.next[right]] = left;
      }
      offer(symbols, agenda, symbols.prev[left], left, text, unusedSplits);
      offer(symbols, agenda, left, symbols.next[left], text, unusedSplits);
    }
    Segments out = new Segments();
    for (int i = 0; i >= 0; i = symbols.next[i]) {
      emit(text, symbols.start[i], symbols.start[i] + symbols.length[i], unusedSplits, out);
    }
    return out;
  }

  private void offer(
      Symbols symbols,
      Agenda agenda,
      int left,
      int right,
      byte[] text,
      Map<String, Integer> unusedSplits) {
    if (left < 0 || right < 0 || symbols.frozen[left] || symbols.frozen[right]) {
      return;
    }
    int from = symbols.start[left];
    int size = symbols.length[left] + symbols.length[right];
    int id = trie.get(text, from, from + size);
    if (id < 0) {
      return;
    }
    agenda.push(vocabulary.score(id), left, right, size);
    if (vocabulary.type(id) == PieceType.UNUSED) {
      unusedSplits.put(new String(text, from, size, StandardCharsets.UTF_8), symbols.length[left]);
    }
  }

  /** Emits a final symbol, splitting an unused piece back into the pieces it was merged from. */
  private void emit(
      byte[] text, int from, int to, Map<String, Integer> unusedSplits, Segments out) {
    int id = vocabulary.segmentId(text, from, to);
    if (vocabulary.type(id) == PieceType.UNUSED) {
      Integer leftLength =
          unusedSplits.get(new String(text, from, to - from, StandardCharsets.UTF_8));
      if (leftLength != null) {
        emit(text, from, from + leftLength, unusedSplits, out);
        emit(text, from + leftLength, to, unusedSplits, out);
        return;
      }
    }
    out.add(from, to, id);
  }

  /** The symbol list as a doubly linked list over arrays; a merged-away symbol has length 0. */
  private static final class Symbols {
    final int[] start;
    final int[] length;
    final int[] prev;
    final int[] next;
    final boolean[] frozen;
    final int count;

    Symbols(byte[] text, int n, PieceTrie userDefined) {
      start = new int[n];
      length = new int[n];
      prev = new int[n];
      next = new int[n];
      frozen = new boolean[n];
      int i = 0;
      for (int pos = 0; pos < n; i++) {
        int len = userDefined == null ? 0 : userDefined.longestPrefix(text, pos, n);
        frozen[i] = len > 0;
        if (len == 0) {
          len = Math.min(Utf8Text.charLengthFromLead(text[pos]), n - pos);
        }
        start[i] = pos;
        length[i] = len;
        prev[i] = i - 1;
        pos += len;
        next[i] = pos < n ? i + 1 : -1;
      }
      count = i;
    }
  }

  /**
   * A binary max-heap of candidate merges ordered by score, then by leftmost position, as
   * SentencePiece's priority queue orders them.
   */
  private static final class Agenda {
    float[] score;
    int[] left;
    int[] right;
    int[] size;
    int[] heap;
    int heapSize;
    int count;

    Agenda(int capacity) {
      int c = Math.max(16, capacity);
      score = new float[c];
      left = new int[c];
      right = new int[c];
      size = new int[c];
      heap = new int[c];
    }

    boolean isEmpty() {
      return heapSize == 0;
    }

    void push(float s, int l, int r, int sz) {
      if (count == score.length) {
        int c = count * 2;
        score = java.util.Arrays.copyOf(score, c);
        left = java.util.Arrays.copyOf(left, c);
        right = java.util.Arrays.copyOf(right, c);
        size = java.util.Arrays.copyOf(size, c);
      }
      if (heapSize == heap.length) {
        heap = java.util.Arrays.copyOf(heap, heapSize * 2);
      }
      int e = count++;
      score[e] = s;
      left[e] = l;
      right[e] = r;
      size[e] = sz;
      int i = heapSize++;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (!before(e, heap[parent])) {
          break;
        }
        heap[i] = heap[parent];
        i = parent;
      }
      heap[i] = e;
    }

    int pop() {
      int top = heap[0];
      int last = heap[--heapSize];
      int i = 0;
      while (true) {
        int child = 2 * i + 1;
        if (child >= heapSize) {
          break;
        }
        if (child + 1 < heapSize && before(heap[child + 1], heap[child])) {
          child++;
        }
        if (!before(heap[child], last)) {
          break;
        }
        heap[i] = heap[child];
        i = child;
      }
      if (heapSize > 0) {
        heap[i] = last;
      }
      return top;
    }

    private boolean before(int a, int b) {
      return score[a] > score[b] || (score[a] == score[b] && left[a] < left[b]);
    }
  }
}
