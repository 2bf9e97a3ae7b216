package io.lmserve.tokenizer.pretokenizer;

import io.lmserve.tokenizer.normalizer.IntPairs;
import io.lmserve.tokenizer.normalizer.NormalizedString;
import java.util.List;

/** What happens to the delimiters found by a splitting pre-tokenizer (HF's five behaviours). */
public enum SplitBehavior {
  /** Delimiters are dropped. */
  REMOVED,
  /** Each delimiter becomes its own piece. */
  ISOLATED,
  /** A delimiter is glued to the piece before it. */
  MERGED_WITH_PREVIOUS,
  /** A delimiter is glued to the piece after it. */
  MERGED_WITH_NEXT,
  /** Consecutive delimiters form one piece. */
  CONTIGUOUS;

  /**
   * Splits {@code piece} around {@code matches} (sorted, non-overlapping normalized ranges),
   * appending the non-empty results to {@code out}. With {@code invert}, the matches are the
   * content and the gaps the delimiters.
   */
  public void split(
      NormalizedString piece, IntPairs matches, boolean invert, List<NormalizedString> out) {
    int n = piece.length();
    if (n == 0) {
      return;
    }
    // Every range of the piece in order, flagged as delimiter or not.
    IntPairs ranges = new IntPairs();
    boolean[] isDelimiter = new boolean[2 * matches.size() + 2];
    int count = 0;
    int prev = 0;
    for (int m = 0; m < matches.size(); m++) {
      int start = matches.first(m);
      int end = matches.second(m);
      if (start > prev) {
        ranges.add(prev, start);
        isDelimiter[count++] = invert;
      }
      ranges.add(start, end);
      isDelimiter[count++] = !invert;
      prev = end;
    }
    if (prev < n) {
      ranges.add(prev, n);
      isDelimiter[count++] = invert;
    }
    switch (this) {
      case REMOVED -> {
        for (int i = 0; i < count; i++) {
          if (!isDelimiter[i]) {
            emit(piece, ranges.first(i), ranges.second(i), out);
          }
        }
      }
      case ISOLATED -> {
        for (int i = 0; i < count; i++) {
          emit(piece, ranges.first(i), ranges.second(i), out);
        }
      }
      case MERGED_WITH_PREVIOUS ->
          glueForward(piece, ranges, isDelimiter, count, (d, previous) -> d && !previous, out);
      case MERGED_WITH_NEXT -> {
        // Walk backwards, gluing each delimiter to the piece that follows it.
        int[] starts = new int[count];
        int[] ends = new int[count];
        int k = 0;
        boolean previousDelimiter = false;
        for (int i = count - 1; i >= 0; i--) {
          if (isDelimiter[i] && !previousDelimiter && k > 0) {
            starts[k - 1] = ranges.first(i);
          } else {
            starts[k] = ranges.first(i);
            ends[k] = ranges.second(i);
            k++;
          }
          previousDelimiter = isDelimiter[i];
        }
        for (int i = k - 1; i >= 0; i--) {
          emit(piece, starts[i], ends[i], out);
        }
      }
      case CONTIGUOUS ->
          glueForward(piece, ranges, isDelimiter, count, (d, previous) -> d == previous, out);
    }
  }

  /** Decides whether a range joins the piece before it. */
  private interface Glue {
    boolean joins(boolean delimiter, boolean previousDelimiter);
  }

  private static void glueForward(
      NormalizedString piece,
      IntPairs ranges,
      boolean[] isDelimiter,
      int count,
      Glue glue,
      List<NormalizedString> out) {
    int start = -1;
    int end = -1;
    boolean previousDelimiter = false;
    for (int i = 0; i < count; i++) {
      if (start >= 0 && glue.joins(isDelimiter[i], previousDelimiter)) {
        end = ranges.second(i);
      } else {
        if (start >= 0) {
          emit(piece, start, end, out);
        }
        start = ranges.first(i);
        end = ranges.second(i);
      }
      previousDelimiter = isDelimiter[i];
    }
    if (start >= 0) {
      emit(piece, start, end, out);
    }
  }

  private static void emit(NormalizedString piece, int start, int end, List<NormalizedString> out) {
    if (end > start) {
      out.add(piece.slice(start, end));
    }
  }
}
