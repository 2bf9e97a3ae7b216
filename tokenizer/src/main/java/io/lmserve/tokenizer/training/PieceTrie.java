package io.lmserve.tokenizer.training;

import java.util.Arrays;

/**
 * A code-point trie of pieces, for finding every piece that starts at a position of a word. Edges
 * live in one open-addressing table keyed by (node, code point).
 */
final class PieceTrie {

  /** Longest piece the trie accepts, in code points. */
  static final int MAX_DEPTH = 256;

  private long[] keys;
  private int[] children;
  private int[] pieceAt = new int[16];
  private int nodes = 1;
  private int edges;

  PieceTrie(int expectedNodes) {
    int capacity = Integer.highestOneBit(Math.max(16, expectedNodes * 2 - 1)) << 1;
    keys = new long[capacity];
    Arrays.fill(keys, -1L);
    children = new int[capacity];
    pieceAt = new int[Math.max(16, expectedNodes + 1)];
    Arrays.fill(pieceAt, -1);
  }

  void add(int[] codePoints, int piece) {
    if (codePoints.length > MAX_DEPTH) {
      throw new IllegalArgumentException("piece longer than " + MAX_DEPTH + " characters");
    }
    int node = 0;
    for (int cp : codePoints) {
      long key = key(node, cp);
      int slot = find(key);
      if (keys[slot] == -1L) {
        keys[slot] = key;
        children[slot] = nodes;
        if (nodes == pieceAt.length) {
          int old = pieceAt.length;
          pieceAt = Arrays.copyOf(pieceAt, old * 2);
          Arrays.fill(pieceAt, old, pieceAt.length, -1);
        }
        node = nodes++;
        if (++edges * 4L > keys.length * 3L) {
          grow();
        }
      } else {
        node = children[slot];
      }
    }
    pieceAt[node] = piece;
  }

  /**
   * Every piece equal to {@code word[start, end)} for some end, shortest first: ends and ids are
   * written to the two arrays, whose length bounds the piece length looked at; returns how many.
   */
  int matches(int[] word, int start, int maxLength, int[] ends, int[] pieces) {
    int node = 0;
    int found = 0;
    int limit = Math.min(word.length, start + Math.min(maxLength, ends.length));
    for (int i = start; i < limit; i++) {
      int slot = find(key(node, word[i]));
      if (keys[slot] == -1L) {
        break;
      }
      node = children[slot];
      if (pieceAt[node] >= 0) {
        ends[found] = i + 1;
        pieces[found++] = pieceAt[node];
      }
    }
    return found;
  }

  private static long key(int node, int cp) {
    return ((long) node << 22) | (cp & 0x3FFFFF);
  }

  private int find(long key) {
    int mask = keys.length - 1;
    long h = key * 0x9E3779B97F4A7C15L;
    int slot = (int) (h ^ (h >>> 31)) & mask;
    while (keys[slot] != -1L && keys[slot] != key) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldChildren = children;
    keys = new long[oldKeys.length * 2];
    Arrays.fill(keys, -1L);
    children = new int[keys.length];
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != -1L) {
        int slot = find(oldKeys[i]);
        keys[slot] = oldKeys[i];
        children[slot] = oldChildren[i];
      }
    }
  }
}
