package io.lmserve.tokenizer.normalizer;

/**
 * Replaces every match of {@code pattern} by {@code content}. The replacement is aligned to the
 * last character of the match, as in HF tokenizers.
 */
public record Replace(TextPattern pattern, String content) implements Normalizer {
  @Override
  public NormalizedString normalize(NormalizedString text) {
    IntPairs matches = new IntPairs();
    String s = text.normalized();
    pattern.findMatches(s, matches);
    if (matches.size() == 0) {
      return text;
    }
    NormalizedString.Builder out = text.builder();
    int last = 0;
    for (int m = 0; m < matches.size(); m++) {
      int start = matches.first(m);
      int end = matches.second(m);
      copy(text, last, start, out);
      if (end > start) {
        out.setSource(text.alignStart(end - 1), text.alignEnd(end - 1));
      } else {
        int at = text.originalStartOf(start, start);
        out.setSource(at, at);
      }
      out.append(content);
      last = end;
    }
    copy(text, last, s.length(), out);
    return out.build();
  }

  static void copy(NormalizedString text, int from, int to, NormalizedString.Builder out) {
    for (int i = from; i < to; i++) {
      out.append(text.charAt(i), text.alignStart(i), text.alignEnd(i));
    }
  }
}
