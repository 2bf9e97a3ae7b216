package io.lmserve.tokenizer.training;

import java.util.Arrays;

/**
 * Every distinct word of a corpus with its number of occurrences, words sorted by their UTF-16
 * order so that everything computed from the table is reproducible.
 *
 * @param words the distinct words, sorted
 * @param counts {@code counts[i]} is how often {@code words[i]} occurs
 * @param lines the number of lines read
 */
public record WordCounts(String[] words, long[] counts, long lines) {

  public WordCounts {
    if (words.length != counts.length) {
      throw new IllegalArgumentException("words and counts differ in length");
    }
  }

  public int size() {
    return words.length;
  }

  /** The number of word occurrences. */
  public long totalWords() {
    return Arrays.stream(counts).sum();
  }

  /** Only the words seen at least {@code minCount} times. */
  public WordCounts atLeast(long minCount) {
    int kept = 0;
    for (long count : counts) {
      if (count >= minCount) {
        kept++;
      }
    }
    String[] keptWords = new String[kept];
    long[] keptCounts = new long[kept];
    for (int i = 0, j = 0; i < words.length; i++) {
      if (counts[i] >= minCount) {
        keptWords[j] = words[i];
        keptCounts[j++] = counts[i];
      }
    }
    return new WordCounts(keptWords, keptCounts, lines);
  }
}
