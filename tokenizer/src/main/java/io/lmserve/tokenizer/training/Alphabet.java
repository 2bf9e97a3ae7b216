package io.lmserve.tokenizer.training;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses a trainer's alphabet from the character counts of the word table: the initial alphabet
 * always, then the most frequent characters within the limit and the coverage. Ties in frequency go
 * to the smaller code point, so the choice is reproducible.
 */
final class Alphabet {

  private Alphabet() {}

  /** Weighted count of every code point in the words. */
  static Map<Integer, Long> characterCounts(WordCounts words) {
    Map<Integer, Long> counts = new HashMap<>();
    for (int i = 0; i < words.size(); i++) {
      long count = words.counts()[i];
      words.words()[i].codePoints().forEach(cp -> counts.merge(cp, count, Long::sum));
    }
    return counts;
  }

  /**
   * The chosen code points, sorted ascending.
   *
   * @param limit at most this many (the initial ones excepted), 0 for no limit
   * @param coverage stop once the chosen characters cover this fraction of all occurrences
   */
  static int[] choose(Map<Integer, Long> counts, String initial, int limit, double coverage) {
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    List<Map.Entry<Integer, Long>> byFrequency = new ArrayList<>(counts.entrySet());
    byFrequency.sort(
        (a, b) -> {
          int c = Long.compare(b.getValue(), a.getValue());
          return c != 0 ? c : Integer.compare(a.getKey(), b.getKey());
        });
    java.util.TreeSet<Integer> chosen = new java.util.TreeSet<>();
    initial.codePoints().forEach(chosen::add);
    long covered = 0;
    int taken = 0;
    for (Map.Entry<Integer, Long> entry : byFrequency) {
      if (limit > 0 && taken >= limit) {
        break;
      }
      if (coverage < 1 && covered >= coverage * total) {
        break;
      }
      covered += entry.getValue();
      chosen.add(entry.getKey());
      taken++;
    }
    return chosen.stream().mapToInt(Integer::intValue).toArray();
  }
}
