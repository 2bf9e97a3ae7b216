package io.lmserve.tokenizer;

import io.lmserve.tokenizer.EncodeOptions.Direction;
import io.lmserve.tokenizer.EncodeOptions.Truncation.Strategy;
import java.util.ArrayList;
import java.util.List;

/** HF's truncation: windows of {@code maxLength} tokens overlapping by {@code stride}. */
final class Truncation {

  private Truncation() {}

  /** Cuts {@code e} to {@code maxLength} tokens; the rest goes to overflowing windows. */
  static Encoding truncate(Encoding e, int maxLength, int stride, Direction direction) {
    int n = e.length();
    if (maxLength >= n) {
      return e;
    }
    if (maxLength == 0) {
      return Encoding.EMPTY.withOverflowing(List.of(e));
    }
    if (stride >= maxLength) {
      throw new IllegalArgumentException(
          "truncation stride "
              + stride
              + " must be smaller than the "
              + maxLength
              + " tokens left for a sequence");
    }
    int step = maxLength - stride;
    List<int[]> ranges = new ArrayList<>();
    if (direction == Direction.RIGHT) {
      for (int start = 0; start < n; start += step) {
        int stop = Math.min(start + maxLength, n);
        ranges.add(new int[] {start, stop});
        if (stop == n) {
          break;
        }
      }
    } else {
      for (int last = n - 1; last >= 0; last -= step) {
        int stop = last + 1;
        int start = Math.max(0, stop - maxLength);
        ranges.add(new int[] {start, stop});
        if (start == 0) {
          break;
        }
      }
    }
    Encoding main = e.slice(ranges.get(0)[0], ranges.get(0)[1]);
    List<Encoding> overflow = new ArrayList<>();
    for (int i = 1; i < ranges.size(); i++) {
      overflow.add(e.slice(ranges.get(i)[0], ranges.get(i)[1]));
    }
    return main.withOverflowing(overflow);
  }

  /** Truncates one or two encodings so that together they fit {@code maxLength}. */
  static Encoding[] truncate(Encoding a, Encoding b, EncodeOptions.Truncation t, int maxLength) {
    int stride = t.stride();
    Direction d = t.direction();
    if (maxLength == 0) {
      return new Encoding[] {
        truncate(a, 0, stride, d), b == null ? null : truncate(b, 0, stride, d)
      };
    }
    int total = a.length() + (b == null ? 0 : b.length());
    if (total <= maxLength) {
      return new Encoding[] {a, b};
    }
    int toRemove = total - maxLength;
    if (t.strategy() == Strategy.LONGEST_FIRST) {
      if (b == null) {
        return new Encoding[] {truncate(a, maxLength, stride, d), null};
      }
      int n1 = a.length();
      int n2 = b.length();
      boolean swap = n1 > n2;
      if (swap) {
        int x = n1;
        n1 = n2;
        n2 = x;
      }
      n2 = n1 > maxLength ? n1 : Math.max(n1, maxLength - n1);
      if (n1 + n2 > maxLength) {
        n1 = maxLength / 2;
        n2 = n1 + maxLength % 2;
      }
      if (swap) {
        int x = n1;
        n1 = n2;
        n2 = x;
      }
      return new Encoding[] {truncate(a, n1, stride, d), truncate(b, n2, stride, d)};
    }
    boolean first = t.strategy() == Strategy.ONLY_FIRST;
    if (!first && b == null) {
      throw new IllegalArgumentException("truncation ONLY_SECOND needs a pair of texts");
    }
    Encoding target = first ? a : b;
    if (target.length() <= toRemove) {
      throw new IllegalArgumentException(
          "truncation "
              + t.strategy()
              + " cannot fit maxLength "
              + t.maxLength()
              + ": the "
              + (first ? "first" : "second")
              + " sequence is too short");
    }
    Encoding cut = truncate(target, target.length() - toRemove, stride, d);
    return first ? new Encoding[] {cut, b} : new Encoding[] {a, cut};
  }
}
