package io.lmserve.tokenizer.normalizer;

import java.util.Arrays;

/**
 * A piece of text on its way through normalization and pre-tokenization, in which every UTF-16 unit
 * remembers the range of the original text it came from. Offsets of the final tokens are computed
 * from these alignments, so they always point into the text the caller gave, however the text was
 * lowercased, decomposed, stripped or split.
 *
 * <p>Alignments are absolute indices into {@link #original()}: a slice keeps pointing into the
 * whole text. Both UTF-16 units of a surrogate pair carry the range of the whole code point.
 * Instances are immutable.
 */
public final class NormalizedString {

  private final String original;
  private final String normalized;
  private final int[] starts;
  private final int[] ends;
  private final int originalStart;
  private final int originalEnd;

  private NormalizedString(
      String original,
      String normalized,
      int[] starts,
      int[] ends,
      int originalStart,
      int originalEnd) {
    this.original = original;
    this.normalized = normalized;
    this.starts = starts;
    this.ends = ends;
    this.originalStart = originalStart;
    this.originalEnd = originalEnd;
  }

  /** The whole of {@code text}, not yet normalized. */
  public static NormalizedString of(String text) {
    return of(text, 0, text.length());
  }

  /** {@code text[start, end)}, not yet normalized, aligned to its place in {@code text}. */
  public static NormalizedString of(String text, int start, int end) {
    int n = end - start;
    int[] s = new int[n];
    int[] e = new int[n];
    for (int i = 0; i < n; i++) {
      int at = start + i;
      char c = text.charAt(at);
      if (Character.isHighSurrogate(c)
          && at + 1 < end
          && Character.isLowSurrogate(text.charAt(at + 1))) {
        s[i] = at;
        e[i] = at + 2;
        s[i + 1] = at;
        e[i + 1] = at + 2;
        i++;
      } else {
        s[i] = at;
        e[i] = at + 1;
      }
    }
    return new NormalizedString(text, text.substring(start, end), s, e, start, end);
  }

  /**
   * A piece built directly by a pre-tokenizer: {@code normalized} with, for each unit, the range
   * {@code [starts[i], ends[i])} of {@code original} it came from. The arrays are taken, not
   * copied.
   */
  public static NormalizedString aligned(
      String original, String normalized, int[] starts, int[] ends) {
    if (starts.length != normalized.length() || ends.length != normalized.length()) {
      throw new IllegalArgumentException("one alignment per normalized unit is needed");
    }
    int n = starts.length;
    return new NormalizedString(
        original, normalized, starts, ends, n == 0 ? 0 : starts[0], n == 0 ? 0 : ends[n - 1]);
  }

  /** The full original text this piece points into. */
  public String original() {
    return original;
  }

  /** The normalized text of this piece. */
  public String normalized() {
    return normalized;
  }

  public int length() {
    return normalized.length();
  }

  public boolean isEmpty() {
    return normalized.isEmpty();
  }

  public char charAt(int index) {
    return normalized.charAt(index);
  }

  /** Start of the original range of normalized unit {@code index}. */
  public int alignStart(int index) {
    return starts[index];
  }

  /** End of the original range of normalized unit {@code index}. */
  public int alignEnd(int index) {
    return ends[index];
  }

  /** Where this piece starts in the original text (also meaningful when it is empty). */
  public int originalStart() {
    return originalStart;
  }

  public int originalEnd() {
    return originalEnd;
  }

  /**
   * The original range {@code [start, end)} of the normalized range {@code [from, to)}: the start
   * of the first unit's range and the end of the last one's, as HF tokenizers does.
   */
  public int originalStartOf(int from, int to) {
    return from < to ? starts[from] : emptyPosition(from);
  }

  public int originalEndOf(int from, int to) {
    return from < to ? ends[to - 1] : emptyPosition(from);
  }

  private int emptyPosition(int at) {
    if (at < starts.length) {
      return starts[at];
    }
    return starts.length == 0 ? originalStart : ends[starts.length - 1];
  }

  /** The normalized range {@code [from, to)} as its own piece, still aligned to the original. */
  public NormalizedString slice(int from, int to) {
    if (from == 0 && to == length()) {
      return this;
    }
    int os = originalStartOf(from, to);
    int oe = originalEndOf(from, to);
    return new NormalizedString(
        original,
        normalized.substring(from, to),
        Arrays.copyOfRange(starts, from, to),
        Arrays.copyOfRange(ends, from, to),
        os,
        oe);
  }

  /** A builder of a new normalized text over the same original, for normalizers. */
  public Builder builder() {
    return new Builder(this, normalized.length() + 8);
  }

  /**
   * Replaces every code point by the code points {@code mapping} writes for it (none to remove it),
   * each aligned to the original range of the code point it came from.
   */
  public NormalizedString mapCodePoints(CodePointMapping mapping) {
    Builder out = new Builder(this, normalized.length() + 8);
    int n = normalized.length();
    for (int i = 0; i < n; ) {
      int cp = normalized.codePointAt(i);
      out.setSource(starts[i], ends[i]);
      mapping.map(cp, out);
      i += Character.charCount(cp);
    }
    return out.build();
  }

  /** Writes the normalized form of one code point. */
  @FunctionalInterface
  public interface CodePointMapping {
    void map(int codePoint, Builder out);
  }

  @Override
  public String toString() {
    return normalized;
  }

  /** Accumulates normalized text with an original range per appended unit. */
  public static final class Builder {
    private final NormalizedString base;
    private final StringBuilder text;
    private int[] starts;
    private int[] ends;
    private int size;
    private int sourceStart;
    private int sourceEnd;

    Builder(NormalizedString base, int capacity) {
      this.base = base;
      this.text = new StringBuilder(capacity);
      this.starts = new int[Math.max(capacity, 4)];
      this.ends = new int[Math.max(capacity, 4)];
    }

    /** The original range the next {@link #append(int)} calls are aligned to. */
    public Builder setSource(int start, int end) {
      sourceStart = start;
      sourceEnd = end;
      return this;
    }

    /** Appends a code point aligned to the current source range. */
    public Builder append(int codePoint) {
      return append(codePoint, sourceStart, sourceEnd);
    }

    /** Appends every code point of {@code s} aligned to the current source range. */
    public Builder append(CharSequence s) {
      for (int i = 0; i < s.length(); i++) {
        appendUnit(s.charAt(i), sourceStart, sourceEnd);
      }
      return this;
    }

    /** Appends a code point aligned to the original range {@code [start, end)}. */
    public Builder append(int codePoint, int start, int end) {
      if (Character.isBmpCodePoint(codePoint)) {
        appendUnit((char) codePoint, start, end);
      } else {
        appendUnit(Character.highSurrogate(codePoint), start, end);
        appendUnit(Character.lowSurrogate(codePoint), start, end);
      }
      return this;
    }

    private void appendUnit(char c, int start, int end) {
      if (size == starts.length) {
        starts = Arrays.copyOf(starts, size * 2);
        ends = Arrays.copyOf(ends, size * 2);
      }
      text.append(c);
      starts[size] = start;
      ends[size] = end;
      size++;
    }

    public int length() {
      return size;
    }

    public NormalizedString build() {
      return new NormalizedString(
          base.original,
          text.toString(),
          Arrays.copyOf(starts, size),
          Arrays.copyOf(ends, size),
          base.originalStart,
          base.originalEnd);
    }
  }
}
