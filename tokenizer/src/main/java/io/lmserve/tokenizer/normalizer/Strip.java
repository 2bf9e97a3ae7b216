package io.lmserve.tokenizer.normalizer;

/** Removes leading and/or trailing whitespace. */
public record Strip(boolean left, boolean right) implements Normalizer {
  @Override
  public NormalizedString normalize(NormalizedString text) {
    String s = text.normalized();
    int start = 0;
    int end = s.length();
    if (left) {
      while (start < end && CharClass.isWhitespace(s.codePointAt(start))) {
        start += Character.charCount(s.codePointAt(start));
      }
    }
    if (right) {
      while (end > start && CharClass.isWhitespace(s.codePointBefore(end))) {
        end -= Character.charCount(s.codePointBefore(end));
      }
    }
    return text.slice(start, end);
  }
}
