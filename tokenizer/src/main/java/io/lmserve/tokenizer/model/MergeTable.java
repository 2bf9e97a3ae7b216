package io.lmserve.tokenizer.model;

/**
 * BPE merges: the pair of ids {@code (left, right)} → its rank and the id of the merged token, in
 * an open-addressing table keyed by the pair packed in a long (no boxing).
 */
final class MergeTable {
  private static final long EMPTY = -1L;
  private final long[] keys;
  private final long[] values;
  private final int mask;

  MergeTable(int expected) {
    int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
    keys = new long[capacity];
    values = new long[capacity];
    java.util.Arrays.fill(keys, EMPTY);
    mask = capacity - 1;
  }

  private static long key(int left, int right) {
    return ((long) left << 32) | (right & 0xFFFFFFFFL);
  }

  private int slot(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  /** Adds a merge unless the pair is already there (the first, lowest rank, wins). */
  void put(int left, int right, int rank, int mergedId) {
    long k = key(left, right);
    int s = slot(k);
    while (keys[s] != EMPTY) {
      if (keys[s] == k) {
        return;
      }
      s = (s + 1) & mask;
    }
    keys[s] = k;
    values[s] = ((long) rank << 32) | (mergedId & 0xFFFFFFFFL);
  }

  /** {@code rank << 32 | mergedId}, or -1 if the pair does not merge. */
  long get(int left, int right) {
    long k = key(left, right);
    int s = slot(k);
    long found;
    while ((found = keys[s]) != EMPTY) {
      if (found == k) {
        return values[s];
      }
      s = (s + 1) & mask;
    }
    return -1L;
  }
}
