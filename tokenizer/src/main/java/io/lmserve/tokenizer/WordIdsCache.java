package io.lmserve.tokenizer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A fixed-size, two-way set-associative cache from words to their ids, safe to share between
 * threads without locks. Each entry is one {@code int[]} — {@code [length, chars…, ids…]} — so a
 * hit reads one array: the word is compared and the ids copied from the same memory. Entries are
 * never modified after they are published (with release/acquire ordering), and a full set drops its
 * older entry, so readers see whole entries and memory is bounded by the slot count and the longest
 * word the caller caches.
 */
final class WordIdsCache {

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(int[][].class);

  private final int[][] slots;
  private final int mask;

  WordIdsCache(int slots) {
    if (Integer.bitCount(slots) != 1 || slots < 2) {
      throw new IllegalArgumentException("slot count must be a power of two: " + slots);
    }
    this.slots = new int[slots][];
    this.mask = slots - 1;
  }

  static int hash(String text, int from, int to) {
    int h = 0;
    for (int i = from; i < to; i++) {
      h = 31 * h + text.charAt(i);
    }
    return h;
  }

  /**
   * Appends the cached ids of {@code text[from, to)} to {@code out} and returns true, or returns
   * false when the word is not cached; {@code hash} is {@link #hash} of that range.
   */
  boolean copyIds(String text, int from, int to, int hash, IdsBuffer out) {
    int set = set(hash);
    int[] e = (int[]) SLOT.getAcquire(slots, set);
    if (e == null || !sameWord(e, text, from, to)) {
      e = (int[]) SLOT.getAcquire(slots, set + 1);
      if (e == null || !sameWord(e, text, from, to)) {
        return false;
      }
    }
    int start = 1 + e[0];
    out.addAll(e, start, e.length - start);
    return true;
  }

  /** Caches a word's ids; the older entry of a full set makes room (it moves to the second way). */
  void put(String text, int from, int to, int hash, int[] ids) {
    int length = to - from;
    int[] e = new int[1 + length + ids.length];
    e[0] = length;
    for (int i = 0; i < length; i++) {
      e[1 + i] = text.charAt(from + i);
    }
    System.arraycopy(ids, 0, e, 1 + length, ids.length);
    int set = set(hash);
    int[] first = (int[]) SLOT.getAcquire(slots, set);
    if (first != null) {
      SLOT.setRelease(slots, set + 1, first);
    }
    SLOT.setRelease(slots, set, e);
  }

  private static boolean sameWord(int[] e, String text, int from, int to) {
    if (e[0] != to - from) {
      return false;
    }
    for (int i = from, j = 1; i < to; i++, j++) {
      if (e[j] != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The first slot of the two of {@code hash}'s set. */
  private int set(int hash) {
    int h = hash * 0x9E3779B9;
    return (h ^ (h >>> 16)) & mask & ~1;
  }
}
