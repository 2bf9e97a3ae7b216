package io.lmserve.tokenizer;

import io.lmserve.tokenizer.normalizer.CharClass;
import io.lmserve.tokenizer.normalizer.NormalizedString;
import io.lmserve.tokenizer.normalizer.Normalizer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The added tokens of a tokenizer and their matching in text, which happens before the model: first
 * tokens that are not normalized are found in the original text, then the rest is normalized and
 * normalized tokens are found in it. At each position the longest token wins.
 */
public final class AddedVocabulary {

  /** An added token and its id. */
  public record Entry(int id, AddedToken token) {}

  /** A piece of text: either plain (addedTokenId -1) or one matched added token. */
  public record Piece(NormalizedString text, int addedTokenId) {
    public boolean isAddedToken() {
      return addedTokenId >= 0;
    }
  }

  private final List<Entry> entries;
  private final Map<String, Integer> idByContent = new HashMap<>();
  private final Map<Integer, Entry> byId = new HashMap<>();
  private final Matcher originalAll;
  private final Matcher originalNonSpecial;
  private final Matcher normalizedAll;
  private final Matcher normalizedNonSpecial;

  public AddedVocabulary(List<Entry> entries, Normalizer normalizer) {
    Map<Integer, Entry> unique = new LinkedHashMap<>();
    for (Entry e : entries) {
      unique.put(e.id(), e);
    }
    this.entries = List.copyOf(unique.values());
    for (Entry e : this.entries) {
      idByContent.put(e.token().content(), e.id());
      byId.put(e.id(), e);
    }
    originalAll = new Matcher(this.entries, false, true, null);
    originalNonSpecial = new Matcher(this.entries, false, false, null);
    normalizedAll = new Matcher(this.entries, true, true, normalizer);
    normalizedNonSpecial = new Matcher(this.entries, true, false, normalizer);
  }

  public static AddedVocabulary empty() {
    return new AddedVocabulary(List.of(), null);
  }

  public List<Entry> entries() {
    return entries;
  }

  public OptionalInt id(String content) {
    Integer id = idByContent.get(content);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  /** The content of the added token with this id, or null. */
  public String token(int id) {
    Entry e = byId.get(id);
    return e == null ? null : e.token().content();
  }

  public boolean isSpecial(int id) {
    Entry e = byId.get(id);
    return e != null && e.token().special();
  }

  /** One more than the largest added id, or 0. */
  public int idLimit() {
    int max = -1;
    for (Entry e : entries) {
      max = Math.max(max, e.id());
    }
    return max + 1;
  }

  /**
   * Whether some added token is matched in normalized text: if not, cutting added tokens out of the
   * original text ({@link #splitRanges}) gives the same plain pieces as {@link #split}.
   */
  public boolean hasNormalizedTokens() {
    return !normalizedAll.patterns.isEmpty();
  }

  /**
   * Cuts {@code text} into plain pieces (normalized with {@code normalizer}) and added tokens.
   * Empty plain pieces are dropped.
   */
  public List<Piece> split(String text, Normalizer normalizer, EncodeOptions.SpecialTokens policy) {
    boolean specials = policy != EncodeOptions.SpecialTokens.IGNORE;
    List<Piece> out = new ArrayList<>();
    List<Piece> first = new ArrayList<>();
    (specials ? originalAll : originalNonSpecial).split(NormalizedString.of(text), first, policy);
    Matcher second = specials ? normalizedAll : normalizedNonSpecial;
    for (Piece p : first) {
      if (p.isAddedToken()) {
        out.add(p);
        continue;
      }
      NormalizedString n = normalizer == null ? p.text() : normalizer.normalize(p.text());
      second.split(n, out, policy);
    }
    return out;
  }

  /**
   * Receives the pieces of {@link #splitRanges}: {@code text[start, end)}, an added token's id or
   * -1.
   */
  @FunctionalInterface
  public interface RangeSink {
    void range(int start, int end, int addedTokenId);
  }

  /**
   * {@link #split} for a tokenizer without a normalizer, as ranges of {@code text} instead of
   * pieces with alignments: the same cuts, without copying the text.
   */
  public void splitRanges(String text, EncodeOptions.SpecialTokens policy, RangeSink out) {
    boolean specials = policy != EncodeOptions.SpecialTokens.IGNORE;
    Matcher second = specials ? normalizedAll : normalizedNonSpecial;
    (specials ? originalAll : originalNonSpecial)
        .scan(
            text,
            0,
            text.length(),
            policy,
            i -> i,
            (start, end, id) -> {
              if (id >= 0) {
                out.range(start, end, id);
              } else {
                second.scan(text, start, end, policy, i -> i, out);
              }
            });
  }

  /** Leftmost-longest matching of a set of added tokens. */
  private static final class Matcher {
    private final BitSet firstChars = new BitSet();
    private final Map<Character, List<int[]>> candidates = new HashMap<>();
    private final List<String> patterns = new ArrayList<>();
    private final List<Entry> patternEntries = new ArrayList<>();
    // When every pattern starts with the same character (GPT-2's one special token), String.indexOf
    // finds candidates much faster than testing each character; -1 otherwise.
    private final int onlyFirstChar;

    Matcher(List<Entry> entries, boolean normalized, boolean withSpecial, Normalizer normalizer) {
      for (Entry e : entries) {
        AddedToken t = e.token();
        if (t.normalized() != normalized || (t.special() && !withSpecial)) {
          continue;
        }
        String pattern =
            normalized && normalizer != null ? normalizer.normalize(t.content()) : t.content();
        if (pattern.isEmpty()) {
          continue;
        }
        int index = patterns.size();
        patterns.add(pattern);
        patternEntries.add(e);
        char c = pattern.charAt(0);
        firstChars.set(c);
        candidates.computeIfAbsent(c, k -> new ArrayList<>()).add(new int[] {index});
      }
      for (List<int[]> list : candidates.values()) {
        list.sort((a, b) -> patterns.get(b[0]).length() - patterns.get(a[0]).length());
      }
      onlyFirstChar = candidates.size() == 1 ? candidates.keySet().iterator().next() : -1;
    }

    void split(NormalizedString s, List<Piece> out, EncodeOptions.SpecialTokens policy) {
      scan(
          s.normalized(),
          0,
          s.length(),
          policy,
          s::alignStart,
          (start, end, id) -> out.add(new Piece(s.slice(start, end), id)));
    }

    /**
     * Cuts {@code text[from, to)}, seen as a whole text of its own, into plain ranges (id -1) and
     * added tokens, in order; empty plain ranges are left out.
     *
     * @param originalIndex maps an index of {@code text} to the caller's text, for error messages
     */
    void scan(
        String text,
        int from,
        int to,
        EncodeOptions.SpecialTokens policy,
        java.util.function.IntUnaryOperator originalIndex,
        RangeSink out) {
      int n = to;
      int emitted = from;
      if (!patterns.isEmpty()) {
        for (int i = from; i < n; i++) {
          if (onlyFirstChar >= 0) {
            i = text.indexOf(onlyFirstChar, i);
            if (i < 0 || i >= n) {
              break;
            }
          } else if (!firstChars.get(text.charAt(i))) {
            continue;
          }
          int found = longestAt(text, i, n);
          if (found < 0) {
            continue;
          }
          AddedToken t = patternEntries.get(found).token();
          int start = i;
          int end = i + patterns.get(found).length();
          if (t.singleWord()
              && ((start > from && isWordChar(text.codePointBefore(start)))
                  || (end < n && isWordChar(text.codePointAt(end))))) {
            continue;
          }
          if (t.special() && policy == EncodeOptions.SpecialTokens.REJECT) {
            throw new IllegalArgumentException(
                "text contains the special token '"
                    + t.content()
                    + "' at index "
                    + originalIndex.applyAsInt(start)
                    + " (special tokens are rejected)");
          }
          if (t.lstrip()) {
            while (start > emitted && CharClass.isWhitespace(text.charAt(start - 1))) {
              start--;
            }
          }
          if (t.rstrip()) {
            while (end < n && CharClass.isWhitespace(text.charAt(end))) {
              end++;
            }
          }
          if (start > emitted) {
            out.range(emitted, start, -1);
          }
          out.range(start, end, patternEntries.get(found).id());
          emitted = end;
          i = end - 1;
        }
      }
      if (n > emitted) {
        out.range(emitted, n, -1);
      }
    }

    private int longestAt(String text, int i, int n) {
      List<int[]> list = candidates.get(text.charAt(i));
      for (int[] p : list) {
        String pattern = patterns.get(p[0]);
        if (i + pattern.length() <= n && text.startsWith(pattern, i)) {
          return p[0];
        }
      }
      return -1;
    }

    private static boolean isWordChar(int cp) {
      return CharClass.isAlphanumeric(cp) || cp == '_';
    }
  }
}
