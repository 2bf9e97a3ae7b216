package io.lmserve.tokenizer.model;

/**
 * WordPiece: greedy longest-match-first from the left, later pieces spelled with {@code
 * continuingSubwordPrefix} (##). A word that cannot be covered, or longer than {@code
 * maxInputCharsPerWord} code points, becomes one unknown token. Immutable and thread-safe.
 */
public final class WordPiece implements Model {

  private final Vocabulary vocabulary;
  private final String unkToken;
  private final String continuingSubwordPrefix;
  private final int maxInputCharsPerWord;
  private final int unkId;
  private final int longestToken; // UTF-16 length of the longest vocabulary entry

  public WordPiece(
      Vocabulary vocabulary,
      String unkToken,
      String continuingSubwordPrefix,
      int maxInputCharsPerWord) {
    this.vocabulary = vocabulary;
    this.unkToken = unkToken;
    this.continuingSubwordPrefix = continuingSubwordPrefix;
    this.maxInputCharsPerWord = maxInputCharsPerWord;
    this.unkId = vocabulary.get(unkToken);
    if (unkId < 0) {
      throw new IllegalArgumentException(
          "WordPiece: unk token '" + unkToken + "' is not in the vocabulary");
    }
    int longest = 0;
    for (String token : vocabulary.asMap().keySet()) {
      longest = Math.max(longest, token.length());
    }
    this.longestToken = longest;
  }

  @Override
  public Vocabulary vocabulary() {
    return vocabulary;
  }

  public String unkToken() {
    return unkToken;
  }

  public String continuingSubwordPrefix() {
    return continuingSubwordPrefix;
  }

  public int maxInputCharsPerWord() {
    return maxInputCharsPerWord;
  }

  @Override
  public void tokenize(String word, TokenSink sink) {
    int n = word.length();
    int unk = unkId;
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
      // No match can be longer than the longest vocabulary entry; start below that.
      int room = longestToken - (start > 0 ? continuingSubwordPrefix.length() : 0);
      int end = n - start > room ? start + Math.max(room, 0) : n;
      if (end < n && end > start && Character.isLowSurrogate(word.charAt(end))) {
        end--;
      }
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
