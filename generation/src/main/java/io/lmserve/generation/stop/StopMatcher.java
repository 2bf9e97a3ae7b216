package io.lmserve.generation.stop;

import java.util.List;

/**
 * Finds stop sequences in generated text as it streams in, whatever token boundaries they span.
 * Text is released as soon as it can no longer be the start of a stop sequence; only a suffix that
 * is a prefix of some stop sequence is held back. The stop sequence itself and everything after it
 * are never released. Per request, not thread-safe.
 */
public final class StopMatcher {

  /** What one push releases, and whether a stop sequence was found (then nothing follows). */
  public record Step(String released, boolean stopped) {}

  private final List<String> stops;
  private final StringBuilder held = new StringBuilder();
  private boolean stopped;

  /**
   * @param stops non-empty strings
   */
  public StopMatcher(List<String> stops) {
    for (String stop : stops) {
      if (stop.isEmpty()) {
        throw new IllegalArgumentException("stop sequences must not be empty");
      }
    }
    this.stops = List.copyOf(stops);
  }

  /** Adds newly decoded text; returns what can be shown now. */
  public Step push(String text) {
    if (stopped) {
      throw new IllegalStateException("a stop sequence was already found");
    }
    held.append(text);
    int match = earliestMatch();
    if (match >= 0) {
      stopped = true;
      String released = held.substring(0, match);
      held.setLength(0);
      return new Step(released, true);
    }
    int keep = longestPendingSuffix();
    String released = held.substring(0, held.length() - keep);
    held.delete(0, held.length() - keep);
    return new Step(released, false);
  }

  /** Releases what is held back: the generation ended without completing a stop sequence. */
  public String flush() {
    String rest = held.toString();
    held.setLength(0);
    return rest;
  }

  /**
   * Start of the match that ends first in the held text (on a tie, the longest), or -1. Choosing by
   * end makes the result independent of how the text was split into pushes.
   */
  private int earliestMatch() {
    int bestStart = -1;
    int bestEnd = Integer.MAX_VALUE;
    for (String stop : stops) {
      int at = held.indexOf(stop);
      if (at < 0) {
        continue;
      }
      int end = at + stop.length();
      if (end < bestEnd || (end == bestEnd && at < bestStart)) {
        bestStart = at;
        bestEnd = end;
      }
    }
    return bestStart;
  }

  /** Length of the longest suffix of the held text that some stop sequence starts with. */
  private int longestPendingSuffix() {
    String text = held.toString();
    int longest = 0;
    for (String stop : stops) {
      for (int k = Math.min(stop.length() - 1, text.length()); k > longest; k--) {
        if (text.regionMatches(text.length() - k, stop, 0, k)) {
          longest = k;
          break;
        }
      }
    }
    return longest;
  }
}
