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
  private final int continuationHash; // String.hashCode of continuingSubwordPrefix
  private final int[] powers; // 31^i for every length up to longestToken

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
    this.continuationHash = continuingSubwordPrefix.hashCode();
    this.powers = new int[longest + 1];
    powers[0] = 1;
    for (int i = 1; i <= longest; i++) {
      powers[i] = 31 * powers[i - 1];
    }
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
    tokenize(word.toCharArray(), 0, word.length(), sink);
  }

  /**
   * Tokenizes the word {@code chars[from, to)} (never empty), reporting token ranges relative to
   * {@code from}. Candidates are looked up by hash without building strings.
   */
  public void tokenize(char[] chars, int from, int to, TokenSink sink) {
    int n = to - from;
    int unk = unkId;
    if (n > maxInputCharsPerWord
        && Character.codePointCount(chars, from, n) > maxInputCharsPerWord) {
      sink.token(unk, 0, n);
      return;
    }
    // prefixHash[i] = String.hashCode of the word's first i chars; the hash of word[a, b) is
    // prefixHash[b] - prefixHash[a] * 31^(b - a), and of "##" + word[a, b) is
    // hash("##") * 31^(b - a) + that.
    int[] prefixHash = new int[n + 1];
    for (int i = 0; i < n; i++) {
      prefixHash[i + 1] = 31 * prefixHash[i] + chars[from + i];
    }
    int[] power = powers;
    // The common case: the whole word is one vocabulary entry.
    if (n < power.length) {
      int whole = vocabulary.get(prefixHash[n], "", chars, from, to);
      if (whole >= 0) {
        sink.token(whole, 0, n);
        return;
      }
    }
    int count = 0;
    int[] ids = new int[Math.min(n, 64)];
    int[] ends = new int[ids.length];
    int start = 0;
    while (start < n) {
      // No match can be longer than the longest vocabulary entry; start below that.
      String prefix = start > 0 ? continuingSubwordPrefix : "";
      int room = longestToken - prefix.length();
      int end = n - start > room ? start + Math.max(room, 0) : n;
      if (end < n && end > start && Character.isLowSurrogate(chars[from + end])) {
        end--;
      }
      if (start == 0 && end == n) {
        end -=
            Character.charCount(Character.codePointBefore(chars, from + end, from)); // tried above
      }
      int found = -1;
      while (start < end) {
        int len = end - start;
        int hash = prefixHash[end] - prefixHash[start] * power[len];
        if (start > 0) {
          hash += continuationHash * power[len];
        }
        found = vocabulary.get(hash, prefix, chars, from + start, from + end);
        if (found >= 0) {
          break;
        }
        end -= Character.charCount(Character.codePointBefore(chars, from + end, from + start));
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
    int at = 0;
    for (int i = 0; i < count; i++) {
      sink.token(ids[i], at, ends[i]);
      at = ends[i];
    }
  }
}
