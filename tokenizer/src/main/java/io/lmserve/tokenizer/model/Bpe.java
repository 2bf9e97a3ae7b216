package io.lmserve.tokenizer.model;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Byte-pair encoding: a word starts as one symbol per character and the adjacent pair with the
 * lowest merge rank is merged (leftmost first on ties) until no pair merges. A heap of candidate
 * merges over a linked list of symbols makes a word of n characters cost O(n log n), so a 100
 * 000-character word is no problem. Results for short words are kept in a bounded cache.
 */
public final class Bpe implements Model {

  /** A merge rule: {@code left} followed by {@code right} becomes one token. */
  public record Merge(String left, String right) {}

  /**
   * The BPE options of HF's tokenizer.json. Empty strings mean "none" for the affixes.
   *
   * @param dropout probability of skipping a merge (training-time regularization); null or 0 off
   */
  public record Options(
      Float dropout,
      String unkToken,
      String continuingSubwordPrefix,
      String endOfWordSuffix,
      boolean fuseUnk,
      boolean byteFallback,
      boolean ignoreMerges) {

    public static Options defaults() {
      return new Options(null, null, "", "", false, false, false);
    }

    public Options {
      continuingSubwordPrefix = continuingSubwordPrefix == null ? "" : continuingSubwordPrefix;
      endOfWordSuffix = endOfWordSuffix == null ? "" : endOfWordSuffix;
      if (dropout != null && (dropout < 0 || dropout > 1)) {
        throw new IllegalArgumentException("BPE dropout must be in [0, 1], got " + dropout);
      }
    }
  }

  /** Words of at most this many symbols are merged by scanning instead of with a heap. */
  static final int SCAN_LIMIT = 24;

  /** Words longer than this are not cached. */
  static final int CACHE_MAX_WORD = 256;

  /** At most this many words are cached; later words are computed every time. */
  static final int CACHE_CAPACITY = 10_000;

  private final Vocabulary vocabulary;
  private final List<Merge> merges;
  private final Options options;
  private final MergeTable table;
  private final int unkId;
  private final int[] singleCharIds; // id of each BMP char below 0x400 when no affixes, else -2
  private final int[] byteIds; // id of <0xXX>, or -1
  private final Map<String, int[]> cache = new ConcurrentHashMap<>();

  public Bpe(Vocabulary vocabulary, List<Merge> merges, Options options) {
    this.vocabulary = vocabulary;
    this.merges = List.copyOf(merges);
    this.options = options;
    this.table = new MergeTable(merges.size());
    String prefix = options.continuingSubwordPrefix();
    for (int rank = 0; rank < this.merges.size(); rank++) {
      Merge m = this.merges.get(rank);
      int left = vocabulary.get(m.left());
      int right = vocabulary.get(m.right());
      String merged =
          m.left()
              + (m.right().startsWith(prefix) ? m.right().substring(prefix.length()) : m.right());
      int mergedId = vocabulary.get(merged);
      if (left < 0 || right < 0 || mergedId < 0) {
        throw new IllegalArgumentException(
            "BPE merge "
                + rank
                + " '"
                + m.left()
                + " "
                + m.right()
                + "' uses a token missing from the vocabulary");
      }
      table.put(left, right, rank, mergedId);
    }
    if (options.unkToken() != null) {
      unkId = vocabulary.get(options.unkToken());
      if (unkId < 0) {
        throw new IllegalArgumentException(
            "BPE unk token '" + options.unkToken() + "' is not in the vocabulary");
      }
    } else {
      unkId = -1;
    }
    singleCharIds = new int[0x400];
    boolean plain = prefix.isEmpty() && options.endOfWordSuffix().isEmpty();
    for (char c = 0; c < singleCharIds.length; c++) {
      singleCharIds[c] = plain ? vocabulary.get(String.valueOf(c)) : -2;
    }
    byteIds = new int[256];
    for (int b = 0; b < 256; b++) {
      byteIds[b] = vocabulary.get(String.format("<0x%02X>", b));
    }
  }

  public List<Merge> merges() {
    return merges;
  }

  public Options options() {
    return options;
  }

  @Override
  public Vocabulary vocabulary() {
    return vocabulary;
  }

  /** Number of words in the cache (for tests of its bound). */
  int cachedWords() {
    return cache.size();
  }

  @Override
  public void tokenize(String word, TokenSink sink) {
    if (options.ignoreMerges()) {
      int id = vocabulary.get(word);
      if (id >= 0) {
        sink.token(id, 0, word.length());
        return;
      }
    }
    boolean dropout = options.dropout() != null && options.dropout() > 0;
    boolean cacheable = !dropout && word.length() <= CACHE_MAX_WORD;
    int[] result = cacheable ? cache.get(word) : null;
    if (result == null) {
      result = merge(word, dropout);
      if (cacheable && cache.size() < CACHE_CAPACITY) {
        cache.put(word, result);
      }
    }
    for (int i = 0; i < result.length; i += 3) {
      sink.token(result[i], result[i + 1], result[i + 2]);
    }
  }

  /** The tokens of {@code word} as (id, start, end) triples. */
  private int[] merge(String word, boolean dropout) {
    Symbols sym = initialSymbols(word);
    int n = sym.count;
    if (!dropout && n <= SCAN_LIMIT) {
      scanMerge(sym);
      return sym.result();
    }
    LongHeap heap = new LongHeap(Math.max(n, 4));
    for (int i = 0; i + 1 < n; i++) {
      long m = table.get(sym.id[i], sym.id[i + 1]);
      if (m >= 0) {
        heap.push((m & 0xFFFFFFFF00000000L) | i);
      }
    }
    LongHeap skipped = dropout ? new LongHeap(4) : null;
    float p = dropout ? options.dropout() : 0f;
    while (!heap.isEmpty()) {
      long top = heap.pop();
      if (dropout && ThreadLocalRandom.current().nextFloat() < p) {
        skipped.push(top);
        continue;
      }
      if (dropout) {
        while (!skipped.isEmpty()) {
          heap.push(skipped.pop());
        }
      }
      int pos = (int) top;
      int rank = (int) (top >>> 32);
      if (sym.id[pos] < 0) {
        continue;
      }
      int next = sym.next[pos];
      if (next < 0) {
        continue;
      }
      long m = table.get(sym.id[pos], sym.id[next]);
      if (m < 0 || (int) (m >>> 32) != rank) {
        continue; // stale entry: one of the two symbols has changed since it was queued
      }
      sym.id[pos] = (int) m;
      sym.end[pos] = sym.end[next];
      sym.id[next] = -1;
      int after = sym.next[next];
      sym.next[pos] = after;
      if (after >= 0) {
        sym.prev[after] = pos;
        long right = table.get(sym.id[pos], sym.id[after]);
        if (right >= 0) {
          heap.push((right & 0xFFFFFFFF00000000L) | pos);
        }
      }
      int before = sym.prev[pos];
      if (before >= 0) {
        long left = table.get(sym.id[before], sym.id[pos]);
        if (left >= 0) {
          heap.push((left & 0xFFFFFFFF00000000L) | before);
        }
      }
    }
    return sym.result();
  }

  /**
   * The same merges for short words without a heap: each round scans the remaining pairs for the
   * lowest rank (leftmost on ties). Quadratic, but cheaper than a heap below {@link #SCAN_LIMIT}.
   */
  private void scanMerge(Symbols sym) {
    int n = sym.count;
    long[] pair = new long[Math.max(n, 1)];
    for (int i = 0; i < n; i++) {
      pair[i] = i + 1 < n ? table.get(sym.id[i], sym.id[i + 1]) : -1L;
    }
    while (true) {
      int best = -1;
      long bestRank = Long.MAX_VALUE;
      for (int i = n > 0 ? 0 : -1; i >= 0; i = sym.next[i]) {
        if (pair[i] >= 0 && (pair[i] >>> 32) < bestRank) {
          bestRank = pair[i] >>> 32;
          best = i;
        }
      }
      if (best < 0) {
        return;
      }
      int next = sym.next[best];
      sym.id[best] = (int) pair[best];
      sym.end[best] = sym.end[next];
      sym.id[next] = -1;
      int after = sym.next[next];
      sym.next[best] = after;
      if (after >= 0) {
        sym.prev[after] = best;
        pair[best] = table.get(sym.id[best], sym.id[after]);
      } else {
        pair[best] = -1L;
      }
      int before = sym.prev[best];
      if (before >= 0) {
        pair[before] = table.get(sym.id[before], sym.id[best]);
      }
    }
  }

  /** One symbol per character (or per byte with byte fallback, or fused unknowns). */
  private Symbols initialSymbols(String word) {
    int len = word.length();
    Symbols s = new Symbols(len);
    String prefix = options.continuingSubwordPrefix();
    String suffix = options.endOfWordSuffix();
    for (int i = 0; i < len; ) {
      char c = word.charAt(i);
      int cpLen = Character.isHighSurrogate(c) ? Character.charCount(word.codePointAt(i)) : 1;
      int end = i + cpLen;
      int id = cpLen == 1 && c < singleCharIds.length ? singleCharIds[c] : -2;
      if (id == -2) {
        String piece = word.substring(i, end);
        if (i > 0 && !prefix.isEmpty()) {
          piece = prefix + piece;
        }
        if (end == len && !suffix.isEmpty()) {
          piece = piece + suffix;
        }
        id = vocabulary.get(piece);
      }
      if (id >= 0) {
        s.add(id, i, end);
      } else if (!addBytes(word, i, end, s)) {
        if (unkId >= 0) {
          if (options.fuseUnk() && s.count > 0 && s.id[s.count - 1] == unkId) {
            s.end[s.count - 1] = end;
          } else {
            s.add(unkId, i, end);
          }
        }
        // Without an unk token HF drops the character; so do we.
      }
      i = end;
    }
    s.link();
    return s;
  }

  private boolean addBytes(String word, int start, int end, Symbols s) {
    if (!options.byteFallback()) {
      return false;
    }
    byte[] bytes = word.substring(start, end).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (byte b : bytes) {
      if (byteIds[b & 0xFF] < 0) {
        return false;
      }
    }
    for (byte b : bytes) {
      s.add(byteIds[b & 0xFF], start, end);
    }
    return true;
  }

  /** Symbols of a word being merged, as a doubly linked list over arrays. */
  private static final class Symbols {
    int[] id;
    int[] start;
    int[] end;
    int[] prev;
    int[] next;
    int count;

    Symbols(int capacity) {
      capacity = Math.max(capacity, 1);
      id = new int[capacity];
      start = new int[capacity];
      end = new int[capacity];
    }

    void add(int tokenId, int from, int to) {
      if (count == id.length) {
        id = java.util.Arrays.copyOf(id, count * 2);
        start = java.util.Arrays.copyOf(start, count * 2);
        end = java.util.Arrays.copyOf(end, count * 2);
      }
      id[count] = tokenId;
      start[count] = from;
      end[count] = to;
      count++;
    }

    /** The remaining symbols as (id, start, end) triples. */
    int[] result() {
      int alive = 0;
      for (int i = count > 0 ? 0 : -1; i >= 0; i = next[i]) {
        alive++;
      }
      int[] out = new int[alive * 3];
      int k = 0;
      for (int i = count > 0 ? 0 : -1; i >= 0; i = next[i]) {
        out[k++] = id[i];
        out[k++] = start[i];
        out[k++] = end[i];
      }
      return out;
    }

    void link() {
      prev = new int[Math.max(count, 1)];
      next = new int[Math.max(count, 1)];
      for (int i = 0; i < count; i++) {
        prev[i] = i - 1;
        next[i] = i + 1 < count ? i + 1 : -1;
      }
    }
  }

  /** A binary min-heap of longs. */
  private static final class LongHeap {
    private long[] a;
    private int size;

    LongHeap(int capacity) {
      a = new long[capacity];
    }

    boolean isEmpty() {
      return size == 0;
    }

    void push(long v) {
      if (size == a.length) {
        a = java.util.Arrays.copyOf(a, size * 2);
      }
      int i = size++;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (a[parent] <= v) {
          break;
        }
        a[i] = a[parent];
        i = parent;
      }
      a[i] = v;
    }

    long pop() {
      long top = a[0];
      long last = a[--size];
      int i = 0;
      int half = size >>> 1;
      while (i < half) {
        int child = 2 * i + 1;
        if (child + 1 < size && a[child + 1] < a[child]) {
          child++;
        }
        if (a[child] >= last) {
          break;
        }
        a[i] = a[child];
        i = child;
      }
      a[i] = last;
      return top;
    }
  }
}
