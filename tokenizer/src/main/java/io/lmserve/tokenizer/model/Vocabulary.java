package io.lmserve.tokenizer.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * An immutable token ↔ id table with an open-addressing hash index (no boxing on lookups). Ids need
 * not be dense; {@link #size()} is the number of tokens.
 */
public final class Vocabulary {

  private final String[] tokens; // by id, null where no token has that id
  private final Map<String, Integer> entries; // every entry, in id order
  private final String[] keys;
  private final int[] hashes;
  private final int[] values;
  private final int mask;
  private final int size;

  public Vocabulary(Map<String, Integer> tokenToId) {
    int maxId = -1;
    for (int id : tokenToId.values()) {
      if (id < 0) {
        throw new IllegalArgumentException("negative token id " + id);
      }
      maxId = Math.max(maxId, id);
    }
    tokens = new String[maxId + 1];
    int capacity = Integer.highestOneBit(Math.max(4, tokenToId.size() * 2 - 1)) << 1;
    keys = new String[capacity];
    hashes = new int[capacity];
    values = new int[capacity];
    mask = capacity - 1;
    for (Map.Entry<String, Integer> e : tokenToId.entrySet()) {
      int id = e.getValue();
      if (tokens[id] == null) {
        tokens[id] = e.getKey(); // with duplicate ids (HF tolerates them) the first names the id
      }
      int h = e.getKey().hashCode();
      int slot = mix(h) & mask;
      while (keys[slot] != null) {
        slot = (slot + 1) & mask;
      }
      keys[slot] = e.getKey();
      hashes[slot] = h;
      values[slot] = id;
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
    int slot = mix(h) & mask;
    String k;
    while ((k = keys[slot]) != null) {
      if (hashes[slot] == h && k.contentEquals(token)) {
        return values[slot];
      }
      slot = (slot + 1) & mask;
    }
    return -1;
  }

  /**
   * The id of {@code prefix + word[start, end)}, or -1, given that string's {@link
   * String#hashCode()} (which callers can compute incrementally): no string is built.
   */
  public int get(int hash, String prefix, String word, int start, int end) {
    int length = prefix.length() + end - start;
    int slot = mix(hash) & mask;
    String k;
    while ((k = keys[slot]) != null) {
      if (hashes[slot] == hash
          && k.length() == length
          && k.startsWith(prefix)
          && k.regionMatches(prefix.length(), word, start, end - start)) {
        return values[slot];
      }
      slot = (slot + 1) & mask;
    }
    return -1;
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
