package io.lmserve.tokenizer.pretokenizer;

import io.lmserve.tokenizer.normalizer.IntPairs;
import io.lmserve.tokenizer.normalizer.NormalizedString;
import io.lmserve.tokenizer.normalizer.Prepend;
import io.lmserve.tokenizer.normalizer.Replace;
import io.lmserve.tokenizer.normalizer.TextPattern;
import java.util.List;

/**
 * SentencePiece-style words: spaces become {@code replacement} (▁), which is prepended per {@code
 * prependScheme}, and with {@code split} every ▁ starts a new piece.
 */
public record Metaspace(char replacement, PrependScheme prependScheme, boolean split)
    implements PreTokenizer {

  public enum PrependScheme {
    ALWAYS,
    FIRST,
    NEVER
  }

  @Override
  public void preTokenize(NormalizedString piece, List<NormalizedString> out) {
    String rep = String.valueOf(replacement);
    NormalizedString s = new Replace(TextPattern.literal(" "), rep).normalize(piece);
    boolean prepend =
        switch (prependScheme) {
          case ALWAYS -> true;
          case FIRST -> s.originalStart() == 0;
          case NEVER -> false;
        };
    if (prepend && !s.normalized().startsWith(rep)) {
      s = new Prepend(rep).normalize(s);
    }
    if (!split) {
      if (!s.isEmpty()) {
        out.add(s);
      }
      return;
    }
    IntPairs matches = new IntPairs();
    TextPattern.literal(rep).findMatches(s.normalized(), matches);
    SplitBehavior.MERGED_WITH_NEXT.split(s, matches, false, out);
  }
}
