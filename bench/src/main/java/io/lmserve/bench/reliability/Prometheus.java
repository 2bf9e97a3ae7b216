package io.lmserve.bench.reliability;

/** Reads samples out of Prometheus' text exposition format. */
final class Prometheus {

  private Prometheus() {}

  /** The sum of every sample of {@code name} whose labels contain all of {@code labels}. */
  static double sum(String exposition, String name, String... labels) {
    double sum = 0;
    boolean found = false;
    for (String line : exposition.split("\n")) {
      if (line.startsWith("#") || !line.startsWith(name)) {
        continue;
      }
      int end = name.length();
      if (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
        continue; // a longer name with this prefix
      }
      boolean match = true;
      for (String label : labels) {
        match &= line.contains(label);
      }
      if (!match) {
        continue;
      }
      String value = line.substring(line.lastIndexOf(' ') + 1);
      try {
        sum += Double.parseDouble(value);
        found = true;
      } catch (NumberFormatException ignored) {
        // a timestamp or an odd line: not a sample we read
      }
    }
    return found ? sum : Double.NaN;
  }
}
