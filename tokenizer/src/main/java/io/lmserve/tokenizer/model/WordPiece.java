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
    // prefixHash[i] = hashCode of word[0, i); the hash of word[a, b) is
    // prefixHash[b] - prefixHash[a] * 31^(b - a), and of "##" + word[a, b) is
    // hash("##") * 31^(b - a) + that. Candidates are looked up without building strings.
    int[] prefixHash = new int[n + 1];
    int[] power = new int[n + 1];
    power[0] = 1;
    for (int i = 0; i < n; i++) {
      prefixHash[i + 1] = 31 * prefixHash[i] + word.charAt(i);
      power[i + 1] = 31 * power[i];
    }
    int continuationHash = continuingSubwordPrefix.hashCode();
    int count = 0;
    int[] ids = new int[Math.min(n, 64)];
    int[] ends = new int[ids.length];
    int start = 0;
    while (start < n) {
      // No match can be longer than the longest vocabulary entry; start below that.
      String prefix = start > 0 ? continuingSubwordPrefix : "";
      int room = longestToken - prefix.length();
      int end = n - start > room ? start + Math.max(room, 0) : n;
      if (end < n && end > start && Character.isLowSurrogate(word.charAt(end))) {
        end--;
      }
      int found = -1;
      while (start < end) {
        int len = end - start;
        int hash = prefixHash[end] - prefixHash[start] * power[len];
        if (start > 0) {
          hash += continuationHash * power[len];
        }
        found = vocabulary.get(hash, prefix, word, start, end);
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
