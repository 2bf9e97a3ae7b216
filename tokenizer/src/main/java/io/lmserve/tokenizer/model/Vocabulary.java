package io.lmserve.tokenizer.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * An immutable token ↔ id table with an open-addressing hash index (no boxing on lookups). Ids need
 * not be dense; {@link #size()} is the number of tokens.
 *
 * <p>The index is laid out for lookups that mostly miss the CPU caches (WordPiece probes a 30k
 * vocabulary with every candidate piece): a slot is one {@code long} holding the key's {@link
 * String#hashCode()} and where the key lives in one flat {@code char[]} pool, and the pool holds
 * each key as {@code [length, id high, id low, chars…]}. A probe whose hash differs reads one slot;
 * a hit reads the slot and one short run of the pool.
 */
public final class Vocabulary {

  private final String[] tokens; // by id, null where no token has that id
  private final Map<String, Integer> entries; // every entry, in id order
  private final long[] slots; // hash << 32 | (pool offset + 1); 0 = empty
  private final char[] pool;
  private final int mask;
  private final int size;

  public Vocabulary(Map<String, Integer> tokenToId) {
    int maxId = -1;
    long poolSize = 0;
    for (Map.Entry<String, Integer> e : tokenToId.entrySet()) {
      int id = e.getValue();
      if (id < 0) {
        throw new IllegalArgumentException("negative token id " + id);
      }
      if (e.getKey().length() > Character.MAX_VALUE) {
        throw new IllegalArgumentException(
            "token longer than " + (int) Character.MAX_VALUE + " chars");
      }
      maxId = Math.max(maxId, id);
      poolSize += 3 + e.getKey().length();
    }
    if (poolSize >= Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("vocabulary too large: " + poolSize + " chars");
    }
    tokens = new String[maxId + 1];
    int capacity = Integer.highestOneBit(Math.max(4, tokenToId.size() * 2 - 1)) << 1;
    slots = new long[capacity];
    pool = new char[(int) poolSize];
    mask = capacity - 1;
    int at = 0;
    for (Map.Entry<String, Integer> e : tokenToId.entrySet()) {
      String key = e.getKey();
      int id = e.getValue();
      if (tokens[id] == null) {
        tokens[id] = key; // with duplicate ids (HF tolerates them) the first names the id
      }
      int h = key.hashCode();
      int slot = mix(h) & mask;
      while (slots[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      slots[slot] = ((long) h << 32) | (at + 1);
      pool[at] = (char) key.length();
      pool[at + 1] = (char) (id >>> 16);
      pool[at + 2] = (char) id;
      key.getChars(0, key.length(), pool, at + 3);
      at += 3 + key.length();
    }
    size = tokenToId.size();
    Map<String, Integer> sorted = new LinkedHashMap<>();
    tokenToId.entrySet().stream()
        .sorted(Map.Entry.comparingByValue())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    entries = java.util.Collections.unmodifiableMap(sorted);
  }

  /** The id of {@code token}, or -1. */
  public int get(CharSequence token) {
    int h = token instanceof String s ? s.hashCode() : hash(token);
    int length = token.length();
    for (int slot = mix(h) & mask; ; slot = (slot + 1) & mask) {
      long entry = slots[slot];
      if (entry == 0) {
        return -1;
      }
      int at = (int) entry - 1;
      if ((int) (entry >>> 32) == h && pool[at] == length && sameChars(at + 3, token)) {
        return id(at);
      }
    }
  }

  private boolean sameChars(int at, CharSequence token) {
    for (int i = 0; i < token.length(); i++) {
      if (pool[at + i] != token.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The id of {@code prefix + chars[start, end)}, or -1, given that string's {@link
   * String#hashCode()} (which callers can compute incrementally): no string is built.
   */
  public int get(int hash, String prefix, char[] chars, int start, int end) {
    int p = prefix.length();
    int length = p + end - start;
    for (int slot = mix(hash) & mask; ; slot = (slot + 1) & mask) {
      long entry = slots[slot];
      if (entry == 0) {
        return -1;
      }
      int at = (int) entry - 1;
      if ((int) (entry >>> 32) == hash
          && pool[at] == length
          && sameChars(at + 3, prefix)
          && java.util.Arrays.equals(pool, at + 3 + p, at + 3 + length, chars, start, end)) {
        return id(at);
      }
    }
  }

  private int id(int at) {
    return (pool[at + 1] << 16) | pool[at + 2];
  }

  /** Spreads String hashes, whose low bits cluster for similar tokens, over the table. */
  private static int mix(int h) {
    int x = h * 0x9E3779B9;
    return x ^ (x >>> 15);
  }

  /** {@link String#hashCode()} of any char sequence, without making a String. */
  private static int hash(CharSequence s) {
    int h = 0;
    for (int i = 0; i < s.length(); i++) {
      h = 31 * h + s.charAt(i);
    }
    return h;
  }

  public OptionalInt id(String token) {
    int id = get(token);
    return id < 0 ? OptionalInt.empty() : OptionalInt.of(id);
  }

  /** The token of {@code id}, or null. */
  public String token(int id) {
    return id >= 0 && id < tokens.length ? tokens[id] : null;
  }

  public int size() {
    return size;
  }

  /** One more than the largest id. */
  public int idLimit() {
    return tokens.length;
  }

  /** Every token and its id, in id order. */
  public Map<String, Integer> asMap() {
    return entries;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Vocabulary v && entries.equals(v.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }
}
