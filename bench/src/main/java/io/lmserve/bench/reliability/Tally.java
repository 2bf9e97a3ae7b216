package io.lmserve.bench.reliability;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Thread-safe counts by label and latency samples, with percentiles. */
final class Tally {

  private final Map<String, Integer> counts = new TreeMap<>();
  private final Map<String, List<Long>> samples = new TreeMap<>();

  synchronized void count(String label) {
    counts.merge(label, 1, Integer::sum);
  }

  synchronized void sample(String series, long nanos) {
    samples.computeIfAbsent(series, k -> new ArrayList<>()).add(nanos);
  }

  synchronized int get(String label) {
    return counts.getOrDefault(label, 0);
  }

  synchronized Map<String, Integer> counts() {
    return new TreeMap<>(counts);
  }

  /** Counts whose label starts with {@code prefix}, summed. */
  synchronized int sumStartingWith(String prefix) {
    return counts.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .mapToInt(Map.Entry::getValue)
        .sum();
  }

  synchronized int samples(String series) {
    return samples.getOrDefault(series, List.of()).size();
  }

  /** The {@code p}-th percentile (0..100) of a series in milliseconds, or NaN if empty. */
  synchronized double percentileMillis(String series, double p) {
    List<Long> values = new ArrayList<>(samples.getOrDefault(series, List.of()));
    if (values.isEmpty()) {
      return Double.NaN;
    }
    Collections.sort(values);
    int index = (int) Math.ceil(p / 100 * values.size()) - 1;
    return values.get(Math.max(0, Math.min(values.size() - 1, index))) / 1e6;
  }
}
