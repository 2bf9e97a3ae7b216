package io.lmserve.tokenizer.training;

import java.util.Arrays;

/**
 * Open-addressing table from a symbol pair (two int ids packed in a long) to its weighted count and
 * the words it occurs in. The word lists may hold stale or repeated entries: a merge rechecks each
 * word, so keeping them exact would cost more than it saves.
 */
final class PairTable {

  private static final long EMPTY = Long.MIN_VALUE;

  private long[] keys;
  private long[] counts;
  private int[][] words;
  private int[] wordCounts;
  private boolean[] rejected;
  private int size;

  PairTable(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    allocate(capacity);
  }

  static long pair(int left, int right) {
    return ((long) left << 32) | (right & 0xFFFFFFFFL);
  }

  static int left(long pair) {
    return (int) (pair >>> 32);
  }

  static int right(long pair) {
    return (int) pair;
  }

  long count(long pair) {
    int slot = find(pair);
    return keys[slot] == EMPTY ? 0 : counts[slot];
  }

  /** Adds {@code delta} to the pair's count; a positive delta also records {@code word}. */
  void add(long pair, long delta, int word, boolean recordWord) {
    int slot = find(pair);
    if (keys[slot] == EMPTY) {
      keys[slot] = pair;
      size++;
      counts[slot] = delta;
      if (recordWord) {
        addWord(slot, word);
      }
      if (size * 4L > keys.length * 3L) {
        grow();
      }
      return;
    }
    counts[slot] += delta;
    if (recordWord) {
      addWord(slot, word);
    }
  }

  /** The words recorded for the pair (may repeat, may be stale), in a copy. */
  int[] words(long pair) {
    int slot = find(pair);
    if (keys[slot] == EMPTY || words[slot] == null) {
      return new int[0];
    }
    return Arrays.copyOf(words[slot], wordCounts[slot]);
  }

  /** Marks the pair as never to be merged (its merged symbol is not an acceptable token). */
  void reject(long pair) {
    int slot = find(pair);
    if (keys[slot] != EMPTY) {
      rejected[slot] = true;
    }
  }

  boolean isRejected(long pair) {
    int slot = find(pair);
    return keys[slot] != EMPTY && rejected[slot];
  }

  /** Calls {@code visitor} with every pair whose count is positive. */
  void forEach(PairVisitor visitor) {
    for (int slot = 0; slot < keys.length; slot++) {
      if (keys[slot] != EMPTY && counts[slot] > 0) {
        visitor.visit(keys[slot], counts[slot]);
      }
    }
  }

  interface PairVisitor {
    void visit(long pair, long count);
  }

  private void addWord(int slot, int word) {
    int[] list = words[slot];
    int n = wordCounts[slot];
    if (list == null) {
      list = new int[2];
    } else if (n > 0 && list[n - 1] == word) {
      return;
    } else if (n == list.length) {
      list = Arrays.copyOf(list, n * 2);
    }
    list[n] = word;
    words[slot] = list;
    wordCounts[slot] = n + 1;
  }

  private int find(long pair) {
    int mask = keys.length - 1;
    int slot = (int) mix(pair) & mask;
    while (keys[slot] != EMPTY && keys[slot] != pair) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private static long mix(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return h ^ (h >>> 29);
  }

  private void allocate(int capacity) {
    keys = new long[capacity];
    Arrays.fill(keys, EMPTY);
    counts = new long[capacity];
    words = new int[capacity][];
    wordCounts = new int[capacity];
    rejected = new boolean[capacity];
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldCounts = counts;
    int[][] oldWords = words;
    int[] oldWordCounts = wordCounts;
    boolean[] oldRejected = rejected;
    allocate(keys.length * 2);
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        int slot = find(oldKeys[i]);
        keys[slot] = oldKeys[i];
        counts[slot] = oldCounts[i];
        words[slot] = oldWords[i];
        wordCounts[slot] = oldWordCounts[i];
        rejected[slot] = oldRejected[i];
      }
    }
  }
}
