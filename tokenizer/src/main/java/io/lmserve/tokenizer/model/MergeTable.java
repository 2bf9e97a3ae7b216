package io.lmserve.tokenizer.model;

/**
 * BPE merges: the pair of ids {@code (left, right)} → its rank and the id of the merged token, in
 * an open-addressing table keyed by the pair packed in a long (no boxing). Key and value sit side
 * by side so that a lookup touches one cache line.
 */
final class MergeTable {
  private static final long EMPTY = -1L;
  private final long[] slots; // key at 2i, value at 2i + 1
  private final int mask;

  MergeTable(int expected) {
    int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
    slots = new long[capacity * 2];
    for (int i = 0; i < slots.length; i += 2) {
      slots[i] = EMPTY;
    }
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
    while (slots[2 * s] != EMPTY) {
      if (slots[2 * s] == k) {
        return;
      }
      s = (s + 1) & mask;
    }
    slots[2 * s] = k;
    slots[2 * s + 1] = ((long) rank << 32) | (mergedId & 0xFFFFFFFFL);
  }

  /** {@code rank << 32 | mergedId}, or -1 if the pair does not merge. */
  long get(int left, int right) {
    long k = key(left, right);
    int s = slot(k);
    long found;
    while ((found = slots[2 * s]) != EMPTY) {
      if (found == k) {
        return slots[2 * s + 1];
      }
      s = (s + 1) & mask;
    }
    return -1L;
  }
}
