package io.lmserve.tokenizer.model;

/**
 * WordPiece: greedy longest-match-first from the left, later pieces spelled with {@code
 * continuingSubwordPrefix} (##). A word that cannot be covered, or longer than {@code
 * maxInputCharsPerWord} code points, becomes one unknown token.
 */
public record WordPiece(
    Vocabulary vocabulary,
    String unkToken,
    String continuingSubwordPrefix,
    int maxInputCharsPerWord)
    implements Model {

  public WordPiece {
    if (vocabulary.get(unkToken) < 0) {
      throw new IllegalArgumentException(
          "WordPiece: unk token '" + unkToken + "' is not in the vocabulary");
    }
  }

  @Override
  public void tokenize(String word, TokenSink sink) {
    int n = word.length();
    int unk = vocabulary.get(unkToken);
    if (word.codePointCount(0, n) > maxInputCharsPerWord) {
      sink.token(unk, 0, n);
      return;
    }
    int count = 0;
    int[] ids = new int[Math.min(n, 64)];
    int[] ends = new int[ids.length];
    StringBuilder candidate = new StringBuilder(continuingSubwordPrefix.length() + n);
    int start = 0;
    while (start < n) {
      int end = n;
      int found = -1;
      while (start < end) {
        candidate.setLength(0);
        if (start > 0) {
          candidate.append(continuingSubwordPrefix);
        }
        candidate.append(word, start, end);
        found = vocabulary.get(candidate);
        if (found >= 0) {
          break;
        }
        end -= Character.charCount(word.codePointBefore(end));
      }
      if (found < 0) {
        sink.token(unk, 0, n);
        return;
      }
      if (count == ids.length) {
        ids = java.util.Arrays.copyOf(ids, count * 2);
        ends = java.util.Arrays.copyOf(ends, count * 2);
      }
      ids[count] = found;
      ends[count] = end;
      count++;
      start = end;
    }
    int from = 0;
    for (int i = 0; i < count; i++) {
      sink.token(ids[i], from, ends[i]);
      from = ends[i];
    }
  }
}
