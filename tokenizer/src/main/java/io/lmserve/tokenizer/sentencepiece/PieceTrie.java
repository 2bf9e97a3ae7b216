package io.lmserve.tokenizer.sentencepiece;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A double-array trie over UTF-8 keys: one array lookup per byte when walking the pieces that start
 * at a position, which is what segmentation does all the time.
 *
 * <p>Node {@code t} is the child of {@code s} for byte {@code c} when {@code t = base[s] + c} and
 * {@code check[t] = s + 1} ({@code 0} marks a free slot). Immutable once built.
 */
public final class PieceTrie {

  /** Per node {@code base, check, value}, side by side so that one step touches one cache line. */
  private final int[] units;

  /** A key and the value the trie returns for it. */
  public record Entry(byte[] key, int value) {}

  private PieceTrie(int[] base, int[] check, int[] value) {
    units = new int[3 * base.length];
    for (int i = 0; i < base.length; i++) {
      units[3 * i] = base[i];
      units[3 * i + 1] = check[i];
      units[3 * i + 2] = value[i];
    }
  }

  /** Builds a trie; keys must be distinct and non-empty, values non-negative. */
  public static PieceTrie build(List<Entry> entries) {
    Entry[] sorted = entries.toArray(Entry[]::new);
    Arrays.sort(sorted, Comparator.comparing(Entry::key, Arrays::compareUnsigned));
    Builder builder = new Builder(Math.max(256, sorted.length * 4));
    builder.insertChildren(0, sorted, 0, sorted.length, 0);
    return builder.finish();
  }

  public static final int ROOT = 0;

  /** The child of {@code node} for {@code b}, or -1. */
  public int child(int node, byte b) {
    int t = units[3 * node] + (b & 0xFF);
    return 3 * t + 1 < units.length && units[3 * t + 1] == node + 1 ? t : -1;
  }

  /** The value of the key ending at {@code node}, or -1 if no key ends there. */
  public int value(int node) {
    return units[3 * node + 2];
  }

  /** The value of exactly {@code key[from, to)}, or -1. */
  public int get(byte[] key, int from, int to) {
    int node = ROOT;
    for (int i = from; i < to && node >= 0; i++) {
      node = child(node, key[i]);
    }
    return node < 0 ? -1 : value(node);
  }

  /** The length of the longest key that is a prefix of {@code s[from, to)}, or 0. */
  public int longestPrefix(byte[] s, int from, int to) {
    int node = ROOT;
    int longest = 0;
    for (int i = from; i < to; i++) {
      node = child(node, s[i]);
      if (node < 0) {
        break;
      }
      if (value(node) >= 0) {
        longest = i + 1 - from;
      }
    }
    return longest;
  }

  private static final class Builder {
    int[] base;
    int[] check;
    int[] value;
    int size = 1;
    final java.util.BitSet used = new java.util.BitSet();

    Builder(int capacity) {
      base = new int[capacity];
      check = new int[capacity];
      value = new int[capacity];
      Arrays.fill(value, -1);
    }

    /** Places the children of {@code node}, which covers sorted keys [lo, hi) at {@code depth}. */
    void insertChildren(int node, Entry[] keys, int lo, int hi, int depth) {
      if (lo < hi && keys[lo].key().length == depth) {
        if (keys[lo].key().length == 0) {
          throw new IllegalArgumentException("empty key");
        }
        if (lo + 1 < hi && keys[lo + 1].key().length == depth) {
          throw new IllegalArgumentException("duplicate key " + Arrays.toString(keys[lo].key()));
        }
        value[node] = keys[lo].value();
        lo++;
      }
      if (lo == hi) {
        return;
      }
      int count = 0;
      for (int i = lo, previous = -1; i < hi; i++) {
        int label = keys[i].key()[depth] & 0xFF;
        if (label != previous) {
          count++;
          previous = label;
        }
      }
      int[] labels = new int[count];
      int[] starts = new int[count + 1];
      count = 0;
      for (int i = lo; i < hi; ) {
        int label = keys[i].key()[depth] & 0xFF;
        labels[count] = label;
        starts[count] = i;
        count++;
        while (i < hi && (keys[i].key()[depth] & 0xFF) == label) {
          i++;
        }
      }
      starts[count] = hi;
      int b = findBase(labels, count);
      base[node] = b;
      for (int k = 0; k < count; k++) {
        int t = b + labels[k];
        check[t] = node + 1;
        used.set(t);
        size = Math.max(size, t + 1);
      }
      for (int k = 0; k < count; k++) {
        insertChildren(b + labels[k], keys, starts[k], starts[k + 1], depth + 1);
      }
    }

    /**
     * The smallest base at which every label lands on a free slot. Candidates come from the free
     * slots for the first label, found word by word in the bitset, so dense regions cost little.
     */
    private int findBase(int[] labels, int count) {
      for (int t = used.nextClearBit(labels[0] + 1); ; t = used.nextClearBit(t + 1)) {
        int b = t - labels[0];
        ensure(b + 256);
        boolean fits = true;
        for (int k = 1; k < count; k++) {
          if (used.get(b + labels[k])) {
            fits = false;
            break;
          }
        }
        if (fits) {
          return b;
        }
      }
    }

    private void ensure(int capacity) {
      if (capacity > check.length) {
        int n = Math.max(capacity, check.length * 2);
        int old = check.length;
        base = Arrays.copyOf(base, n);
        check = Arrays.copyOf(check, n);
        value = Arrays.copyOf(value, n);
        Arrays.fill(value, old, n, -1);
      }
    }

    PieceTrie finish() {
      int n = size;
      return new PieceTrie(
          Arrays.copyOf(base, n), Arrays.copyOf(check, n), Arrays.copyOf(value, n));
    }
  }
}
