package io.lmserve.tokenizer.normalizer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What {@code Replace} and {@code Split} look for: a literal string or a regular expression (HF's
 * {@code {"String": …}} / {@code {"Regex": …}}). Regexes use Unicode character classes, as
 * Oniguruma does in HF tokenizers.
 */
public sealed interface TextPattern {

  /** Appends {@code start, end} of every non-overlapping match in {@code s}, left to right. */
  void findMatches(String s, IntPairs out);

  static TextPattern literal(String s) {
    return new Literal(s);
  }

  static TextPattern regex(String regex) {
    try {
      return new Regex(regex, Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("invalid regex '" + regex + "': " + e.getDescription(), e);
    }
  }

  record Literal(String text) implements TextPattern {
    @Override
    public void findMatches(String s, IntPairs out) {
      if (text.isEmpty()) {
        return;
      }
      int from = 0;
      int at;
      while ((at = s.indexOf(text, from)) >= 0) {
        out.add(at, at + text.length());
        from = at + text.length();
      }
    }
  }

  record Regex(String regex, Pattern pattern) implements TextPattern {
    @Override
    public void findMatches(String s, IntPairs out) {
      Matcher m = pattern.matcher(s);
      while (m.find()) {
        out.add(m.start(), m.end());
      }
    }
  }
}
