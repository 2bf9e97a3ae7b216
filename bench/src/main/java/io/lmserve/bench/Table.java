package io.lmserve.bench;

import java.io.PrintStream;
import java.util.List;

/** The results as a plain-text table, one block per suite. */
final class Table {

  private Table() {}

  static void print(PrintStream out, List<Race.Row> rows) {
    int width = 20;
    for (Race.Row r : rows) {
      width = Math.max(width, r.contender().length());
    }
    String format = "%-" + width + "s %9s %9s %10s %12s%n";
    String suite = null;
    for (Race.Row r : rows) {
      if (!r.suite().equals(suite)) {
        suite = r.suite();
        out.printf("%n%s%n", suite);
        out.printf(format, "contender", "MB/s", "MB/cpu-s", "lmserve x", "ids differ");
      }
      boolean lmserve = r.contender().startsWith("lmserve");
      out.printf(
          format,
          r.contender(),
          String.format("%.2f", r.mbPerSecond()),
          String.format("%.2f", r.mbPerCpuSecond()),
          lmserve ? "1" : String.format("%.2f", r.lmserveRatio()),
          lmserve ? "-" : r.mismatches() + "/" + r.checked());
    }
  }
}
