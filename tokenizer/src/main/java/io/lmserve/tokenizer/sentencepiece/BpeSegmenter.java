package io.lmserve.tokenizer.sentencepiece;

import io.lmserve.tokenizer.sentencepiece.proto.PieceType;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * SentencePiece's BPE: start from characters (user-defined pieces kept whole and frozen), then
 * repeatedly merge the adjacent pair whose merged string is the highest-scoring piece, leftmost
 * first among equal scores. Merges that produce an unused piece are undone at the end.
 *
 * <p>When no piece holds a {@code ▁} after another character (true of every model trained with
 * {@code split_by_whitespace}), no merge can cross the start of a word, so each word is merged on
 * its own: the same result, with small queues.
 */
final class BpeSegmenter implements Segmenter {

  private final Vocabulary vocabulary;
  private final PieceTrie trie;
  private final PieceTrie userDefined;

  private final boolean wordsAreIndependent;

  BpeSegmenter(Vocabulary vocabulary) {
    this.vocabulary = vocabulary;
    this.trie = vocabulary.trie();
    this.userDefined = vocabulary.userDefined();
    boolean independent = true;
    for (int id = 0; id < vocabulary.size() && independent; id++) {
      PieceType type = vocabulary.type(id);
      if (type == PieceType.NORMAL || type == PieceType.USER_DEFINED || type == PieceType.UNUSED) {
        String piece = vocabulary.piece(id);
        int firstOther = 0;
        while (firstOther < piece.length() && piece.charAt(firstOther) == '\u2581') {
          firstOther++;
        }
        independent = piece.indexOf('\u2581', firstOther) < 0;
      }
    }
    this.wordsAreIndependent = independent;
  }

  @Override
  public Segments segment(byte[] text, int length) {
    return segment(text, length, 0, null);
  }

  /**
   * With BPE-dropout (SentencePiece's sampling for BPE): each merge about to be applied is skipped
   * with probability {@code dropout}, drawn from {@code random} (unused when dropout is 0).
   */
  Segments segment(byte[] text, int length, float dropout, RandomGenerator random) {
    Segments out = new Segments();
    Dropout skip =
        dropout <= 0
            ? () -> false
            : dropout >= 1 ? () -> true : () -> random.nextDouble() < dropout;
    if (!wordsAreIndependent) {
      segment(text, 0, length, skip, out);
      return out;
    }
    int wordStart = 0;
    for (int i = 1; i + 2 < length; i++) {
      // A word starts at a ▁ that follows something other than ▁.
      if (isSpaceSymbol(text, i) && !isSpaceSymbol(text, i - 3)) {
        segment(text, wordStart, i, skip, out);
        wordStart = i;
      }
    }
    segment(text, wordStart, length, skip, out);
    return out;
  }

  private static boolean isSpaceSymbol(byte[] text, int at) {
    byte[] s = SpmNormalizer.SPACE_SYMBOL;
    return at >= 0 && text[at] == s[0] && text[at + 1] == s[1] && text[at + 2] == s[2];
  }

  /** Merges {@code text[from, to)} and appends its pieces to {@code out}. */
  /** Whether to skip the merge at hand. */
  @FunctionalInterface
  private interface Dropout {
    boolean skip();
  }

  private void segment(byte[] text, int from, int to, Dropout dropout, Segments out) {
    Symbols symbols = new Symbols(text, from, to, userDefined);
    int n = symbols.count;
    if (n == 0) {
      return;
    }
    for (int i = 0; i < n; i++) {
      symbols.node[i] = walk(PieceTrie.ROOT, text, symbols.start[i], symbols.length[i]);
    }
    Agenda agenda = new Agenda(n);
    Map<String, Integer> unusedSplits = new HashMap<>(0);
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
          || symbols.length[left] + symbols.length[right] != agenda.size[top]
          || dropout.skip()) {
        continue;
      }
      symbols.length[left] += symbols.length[right];
      symbols.length[right] = 0;
      symbols.node[left] = agenda.node[top];
      symbols.next[left] = symbols.next[right];
      if (symbols.next[right] >= 0) {
        symbols.prev[symbols.next[right]] = left;
      }
      offer(symbols, agenda, symbols.prev[left], left, text, unusedSplits);
      offer(symbols, agenda, left, symbols.next[left], text, unusedSplits);
    }
    for (int i = 0; i >= 0; i = symbols.next[i]) {
      int start = symbols.start[i];
      int end = start + symbols.length[i];
      int node = symbols.node[i];
      int id = vocabulary.segmentId(text, start, end, node < 0 ? -1 : trie.value(node));
      emit(text, start, end, id, unusedSplits, out);
    }
  }

  /** The trie node reached from {@code node} over {@code text[from, from + length)}, or -1. */
  private int walk(int node, byte[] text, int from, int length) {
    for (int i = from; i < from + length && node >= 0; i++) {
      node = trie.child(node, text[i]);
    }
    return node;
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
    if (symbols.node[left] < 0) {
      return;
    }
    // The merged piece's node: continue from the left symbol's node over the right's bytes.
    int node = walk(symbols.node[left], text, symbols.start[right], symbols.length[right]);
    int id = node < 0 ? -1 : trie.value(node);
    if (id < 0) {
      return;
    }
    int from = symbols.start[left];
    int size = symbols.length[left] + symbols.length[right];
    agenda.push(vocabulary.score(id), left, right, size, node);
    if (vocabulary.type(id) == PieceType.UNUSED) {
      unusedSplits.put(new String(text, from, size, StandardCharsets.UTF_8), symbols.length[left]);
    }
  }

  /** Emits a final symbol, splitting an unused piece back into the pieces it was merged from. */
  private void emit(
      byte[] text, int from, int to, int id, Map<String, Integer> unusedSplits, Segments out) {
    if (vocabulary.type(id) == PieceType.UNUSED) {
      Integer leftLength =
          unusedSplits.get(new String(text, from, to - from, StandardCharsets.UTF_8));
      if (leftLength != null) {
        int split = from + leftLength;
        emit(text, from, split, vocabulary.segmentId(text, from, split), unusedSplits, out);
        emit(text, split, to, vocabulary.segmentId(text, split, to), unusedSplits, out);
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
    final int[] node; // trie node of the symbol's bytes, -1 if no piece starts with them
    final boolean[] frozen;
    final int count;

    Symbols(byte[] text, int from, int to, PieceTrie userDefined) {
      int n = to - from;
      start = new int[n];
      length = new int[n];
      prev = new int[n];
      next = new int[n];
      node = new int[n];
      frozen = new boolean[n];
      int i = 0;
      for (int pos = from; pos < to; i++) {
        int len = userDefined == null ? 0 : userDefined.longestPrefix(text, pos, to);
        frozen[i] = len > 0;
        if (len == 0) {
          len = Math.min(Utf8Text.charLengthFromLead(text[pos]), to - pos);
        }
        start[i] = pos;
        length[i] = len;
        prev[i] = i - 1;
        pos += len;
        next[i] = pos < to ? i + 1 : -1;
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
    int[] node;
    int[] heap;
    int heapSize;
    int count;

    Agenda(int capacity) {
      int c = Math.max(16, capacity);
      score = new float[c];
      left = new int[c];
      right = new int[c];
      size = new int[c];
      node = new int[c];
      heap = new int[c];
    }

    boolean isEmpty() {
      return heapSize == 0;
    }

    void push(float s, int l, int r, int sz, int nd) {
      if (count == score.length) {
        int c = count * 2;
        score = java.util.Arrays.copyOf(score, c);
        left = java.util.Arrays.copyOf(left, c);
        right = java.util.Arrays.copyOf(right, c);
        size = java.util.Arrays.copyOf(size, c);
        node = java.util.Arrays.copyOf(node, c);
      }
      if (heapSize == heap.length) {
        heap = java.util.Arrays.copyOf(heap, heapSize * 2);
      }
      int e = count++;
      score[e] = s;
      left[e] = l;
      right[e] = r;
      size[e] = sz;
      node[e] = nd;
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
