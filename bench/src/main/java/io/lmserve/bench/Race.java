package io.lmserve.bench;

import io.lmserve.bench.Contender.Pass;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs contenders over the same corpus in interleaved rounds (round r starts with contender r mod
 * n), so a change in the machine's load falls on all of them alike, and reports medians. The first
 * contender is lmserve: every ratio is taken against it within the same round, then the median of
 * those paired ratios is reported.
 */
final class Race {

  /**
   * Results of one contender: median MB/s (wall and CPU) and median paired ratio against lmserve.
   */
  record Row(
      String suite,
      String contender,
      double mbPerSecond,
      double mbPerCpuSecond,
      double lmserveRatio,
      int mismatches,
      int checked) {}

  private final Corpus corpus;
  private final int rounds;
  private final double warmupSeconds;
  private final int sampleSize;
  private final PrintStream log;

  Race(Corpus corpus, int rounds, double warmupSeconds, int sampleSize, PrintStream log) {
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds must be at least 1, got " + rounds);
    }
    this.corpus = corpus;
    this.rounds = rounds;
    this.warmupSeconds = warmupSeconds;
    this.sampleSize = sampleSize;
    this.log = log;
  }

  List<Row> run(String suite, List<Contender> contenders) {
    log.printf("%n== %s%n", suite);
    List<String> sample = corpus.sample(sampleSize);
    int[] mismatches = checkIds(contenders, sample);
    for (Contender c : contenders) {
      warmUp(c);
    }
    int n = contenders.size();
    Pass[][] passes = new Pass[n][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < n; k++) {
        int i = (r + k) % n;
        passes[i][r] = contenders.get(i).pass();
        if (passes[i][r].tokens() != passes[i][0].tokens()) {
          throw new IllegalStateException(
              contenders.get(i).name() + " produced a different token count in round " + r);
        }
      }
      log.printf("  round %d/%d done%n", r + 1, rounds);
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] wall = new double[rounds];
      double[] cpu = new double[rounds];
      double[] ratio = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        wall[r] = passes[i][r].wallSeconds();
        cpu[r] = passes[i][r].cpuSeconds();
        ratio[r] = passes[i][r].wallSeconds() / passes[0][r].wallSeconds();
      }
      double mb = corpus.bytes() / 1e6;
      rows.add(
          new Row(
              suite,
              contenders.get(i).name(),
              mb / median(wall),
              mb / median(cpu),
              median(ratio),
              mismatches[i],
              sample.size()));
    }
    return rows;
  }

  /** Texts whose ids differ from lmserve's (the first contender), per contender; prints a few. */
  private int[] checkIds(List<Contender> contenders, List<String> sample) {
    List<int[]> reference = contenders.getFirst().ids(sample);
    int[] mismatches = new int[contenders.size()];
    for (int i = 1; i < contenders.size(); i++) {
      List<int[]> ids = contenders.get(i).ids(sample);
      int shown = 0;
      for (int t = 0; t < sample.size(); t++) {
        if (!Arrays.equals(reference.get(t), ids.get(t))) {
          mismatches[i]++;
          if (shown++ < 2) {
            log.printf(
                "  ids differ from lmserve's, %s, text %s%n    lmserve: %s%n    other:   %s%n",
                contenders.get(i).name(),
                abbreviate(sample.get(t)),
                abbreviate(Arrays.toString(reference.get(t))),
                abbreviate(Arrays.toString(ids.get(t))));
          }
        }
      }
      log.printf(
          "  ids check: %s: %d of %d sample texts differ from lmserve%n",
          contenders.get(i).name(), mismatches[i], sample.size());
    }
    return mismatches;
  }

  private void warmUp(Contender c) {
    long t0 = System.nanoTime();
    int passes = 0;
    do {
      c.pass();
      passes++;
    } while (passes < 5 && (System.nanoTime() - t0) / 1e9 < warmupSeconds);
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int m = v.length / 2;
    return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
  }

  private static String abbreviate(String s) {
    String quoted = s.replace("\n", "\\n").replace("\r", "\\r");
    return quoted.length() <= 100 ? quoted : quoted.substring(0, 97) + "...";
  }
}
