package io.lmserve.tokenizer.training;

/**
 * Suffix array and LCP array of an int sequence, by prefix doubling with radix sorts (O(n log n),
 * and few rounds when repeats are short, as in a list of distinct words with distinct separators).
 */
final class SuffixArray {

  private SuffixArray() {}

  /** The suffix array of {@code text}, whose values are in {@code [0, alphabetSize)}. */
  static int[] build(int[] text, int alphabetSize) {
    int n = text.length;
    int[] sa = new int[n];
    int[] rank = text.clone();
    int[] tmp = new int[n];
    int[] next = new int[n];
    int buckets = Math.max(alphabetSize, n) + 1;
    int[] count = new int[buckets];
    for (int i = 0; i < n; i++) {
      count[rank[i]]++;
    }
    for (int i = 1; i < buckets; i++) {
      count[i] += count[i - 1];
    }
    for (int i = n - 1; i >= 0; i--) {
      sa[--count[rank[i]]] = i;
    }
    for (int k = 1; n > 1; k <<= 1) {
      // Order by the second key (rank at i + k; past the end sorts first), then stably by the
      // first.
      int p = 0;
      for (int i = n - k; i < n; i++) {
        if (i >= 0) {
          tmp[p++] = i;
        }
      }
      for (int j = 0; j < n; j++) {
        if (sa[j] >= k) {
          tmp[p++] = sa[j] - k;
        }
      }
      java.util.Arrays.fill(count, 0);
      for (int i = 0; i < n; i++) {
        count[rank[i]]++;
      }
      for (int i = 1; i < buckets; i++) {
        count[i] += count[i - 1];
      }
      for (int j = n - 1; j >= 0; j--) {
        sa[--count[rank[tmp[j]]]] = tmp[j];
      }
      next[sa[0]] = 0;
      for (int j = 1; j < n; j++) {
        int a = sa[j - 1];
        int b = sa[j];
        int secondA = a + k < n ? rank[a + k] : -1;
        int secondB = b + k < n ? rank[b + k] : -1;
        next[b] = next[a] + ((rank[a] != rank[b] || secondA != secondB) ? 1 : 0);
      }
      int[] swap = rank;
      rank = next;
      next = swap;
      if (rank[sa[n - 1]] == n - 1) {
        break;
      }
    }
    return sa;
  }

  /**
   * {@code lcp[i]} = longest common prefix of the suffixes at {@code sa[i - 1]} and {@code sa[i]}.
   */
  static int[] lcp(int[] text, int[] sa) {
    int n = text.length;
    int[] rank = new int[n];
    for (int i = 0; i < n; i++) {
      rank[sa[i]] = i;
    }
    int[] lcp = new int[n];
    int h = 0;
    for (int i = 0; i < n; i++) {
      if (rank[i] > 0) {
        int j = sa[rank[i] - 1];
        while (i + h < n && j + h < n && text[i + h] == text[j + h]) {
          h++;
        }
        lcp[rank[i]] = h;
        if (h > 0) {
          h--;
        }
      } else {
        h = 0;
      }
    }
    return lcp;
  }
}
