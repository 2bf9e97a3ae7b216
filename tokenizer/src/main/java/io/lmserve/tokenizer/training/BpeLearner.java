package io.lmserve.tokenizer.training;

import io.lmserve.tokenizer.model.Bpe;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * The BPE learning loop shared by every BPE-family trainer: split each word into alphabet symbols,
 * then repeatedly merge the most frequent adjacent pair until the vocabulary is full or no pair is
 * frequent enough.
 *
 * <p>Pair counts are kept up to date incrementally: each pair knows the words it occurs in, so a
 * merge rewrites only those words, and a priority queue with lazily corrected entries finds the
 * next best pair.
 *
 * <p><b>Tie rule</b>: among pairs with the same count, the merge taken is the one whose left symbol
 * is smallest by code points, then whose right symbol is smallest (symbols compared as strings,
 * prefixes and suffixes included). With the sorted word table this makes training deterministic.
 */
final class BpeLearner {

  /** Symbol id standing for a character outside the alphabet: no pair spans it. */
  private static final int OUTSIDE = -1;

  private final BpeOptions options;
  private final List<String> symbols = new ArrayList<>();
  private final Map<String, Integer> ids = new HashMap<>();

  private BpeLearner(BpeOptions options) {
    this.options = options;
  }

  static LearnedBpe learn(WordCounts words, BpeOptions options, TrainingProgress progress) {
    return new BpeLearner(options).run(words, progress);
  }

  private LearnedBpe run(WordCounts words, TrainingProgress progress) {
    for (String special : options.specialTokens()) {
      add(special);
    }
    int[] alphabet =
        Alphabet.choose(
            Alphabet.characterCounts(words),
            options.initialAlphabet(),
            options.limitAlphabet(),
            options.characterCoverage());
    for (int cp : alphabet) {
      add(Character.toString(cp));
    }
    int[][] wordSymbols = splitWords(words, alphabet);
    if (symbols.size() > options.vocabSize()) {
      throw new IllegalArgumentException(
          "vocab size "
              + options.vocabSize()
              + " is smaller than the "
              + symbols.size()
              + " special tokens and alphabet symbols it must hold (raise it, or limit the"
              + " alphabet)");
    }
    long[] wordCounts = words.counts();

    PairTable pairs = new PairTable(Math.max(16, words.size() * 4));
    for (int w = 0; w < wordSymbols.length; w++) {
      int[] s = wordSymbols[w];
      for (int i = 0; i + 1 < s.length; i++) {
        if (s[i] != OUTSIDE && s[i + 1] != OUTSIDE) {
          pairs.add(PairTable.pair(s[i], s[i + 1]), wordCounts[w], w, true);
        }
      }
    }
    PriorityQueue<Candidate> queue = new PriorityQueue<>(candidateOrder());
    pairs.forEach((pair, count) -> queue.add(new Candidate(pair, count)));

    List<Bpe.Merge> merges = new ArrayList<>();
    int target = options.vocabSize();
    int[] visited = new int[wordSymbols.length];
    Arrays.fill(visited, -1);
    while (symbols.size() < target && !queue.isEmpty()) {
      Candidate best = queue.poll();
      long count = pairs.count(best.pair());
      if (count != best.count()) {
        if (count > 0) {
          queue.add(new Candidate(best.pair(), count));
        }
        continue;
      }
      if (count < Math.max(1, options.minFrequency())) {
        break;
      }
      if (pairs.isRejected(best.pair())) {
        continue;
      }
      int left = PairTable.left(best.pair());
      int right = PairTable.right(best.pair());
      String merged = mergedSymbol(left, right);
      if (!acceptable(merged)) {
        pairs.reject(best.pair());
        continue;
      }
      int mergedId = ids.containsKey(merged) ? ids.get(merged) : add(merged);
      merges.add(new Bpe.Merge(symbols.get(left), symbols.get(right)));
      TreeSet<Long> grown = new TreeSet<>();
      int stamp = merges.size();
      for (int w : pairs.words(best.pair())) {
        if (visited[w] == stamp) {
          continue;
        }
        visited[w] = stamp;
        int[] before = wordSymbols[w];
        int[] after = replace(before, left, right, mergedId);
        if (after == before) {
          continue;
        }
        wordSymbols[w] = after;
        long weight = wordCounts[w];
        for (int i = 0; i + 1 < before.length; i++) {
          if (before[i] != OUTSIDE && before[i + 1] != OUTSIDE) {
            pairs.add(PairTable.pair(before[i], before[i + 1]), -weight, w, false);
          }
        }
        for (int i = 0; i + 1 < after.length; i++) {
          if (after[i] != OUTSIDE && after[i + 1] != OUTSIDE) {
            long pair = PairTable.pair(after[i], after[i + 1]);
            boolean isNew = after[i] == mergedId || after[i + 1] == mergedId;
            pairs.add(pair, weight, w, isNew);
            if (isNew) {
              grown.add(pair);
            }
          }
        }
      }
      for (long pair : grown) {
        long now = pairs.count(pair);
        if (now > 0) {
          queue.add(new Candidate(pair, now));
        }
      }
      if (merges.size() % 100 == 0) {
        progress.update("merge", symbols.size(), target);
      }
    }
    progress.update("merge", target, target);
    return new LearnedBpe(symbols, merges, alphabet);
  }

  private int[][] splitWords(WordCounts words, int[] alphabet) {
    String prefix = options.continuingSubwordPrefix();
    String suffix = options.endOfWordSuffix();
    // Prefixed and suffixed character symbols come after the plain alphabet, in sorted order.
    TreeSet<String> decorated = new TreeSet<>(BpeLearner::compareCodePoints);
    int[][] codePoints = new int[words.size()][];
    for (int w = 0; w < words.size(); w++) {
      int[] cps = words.words()[w].codePoints().toArray();
      codePoints[w] = cps;
      for (int i = 0; i < cps.length; i++) {
        if (Arrays.binarySearch(alphabet, cps[i]) >= 0) {
          String symbol = decorate(cps[i], i == 0, i == cps.length - 1);
          if (!ids.containsKey(symbol)) {
            decorated.add(symbol);
          }
        }
      }
    }
    if (!prefix.isEmpty() || !suffix.isEmpty()) {
      decorated.forEach(this::add);
    }
    int[][] result = new int[words.size()][];
    for (int w = 0; w < words.size(); w++) {
      int[] cps = codePoints[w];
      int[] s = new int[cps.length];
      for (int i = 0; i < cps.length; i++) {
        s[i] =
            Arrays.binarySearch(alphabet, cps[i]) >= 0
                ? ids.get(decorate(cps[i], i == 0, i == cps.length - 1))
                : OUTSIDE;
      }
      result[w] = s;
    }
    return result;
  }

  private String decorate(int cp, boolean first, boolean last) {
    String symbol = Character.toString(cp);
    if (!first) {
      symbol = options.continuingSubwordPrefix() + symbol;
    }
    if (last) {
      symbol = symbol + options.endOfWordSuffix();
    }
    return symbol;
  }

  /** The two symbols joined; the right one's continuation prefix disappears inside the token. */
  private String mergedSymbol(int left, int right) {
    String prefix = options.continuingSubwordPrefix();
    String r = symbols.get(right);
    if (!prefix.isEmpty() && r.startsWith(prefix)) {
      r = r.substring(prefix.length());
    }
    return symbols.get(left) + r;
  }

  private boolean acceptable(String merged) {
    if (options.maxTokenLength() == 0 && !options.sentencePieceRules()) {
      return true;
    }
    String core = merged;
    String prefix = options.continuingSubwordPrefix();
    String suffix = options.endOfWordSuffix();
    if (!prefix.isEmpty() && core.startsWith(prefix)) {
      core = core.substring(prefix.length());
    }
    if (!suffix.isEmpty() && core.endsWith(suffix)) {
      core = core.substring(0, core.length() - suffix.length());
    }
    int max = options.maxTokenLength() == 0 ? Integer.MAX_VALUE : options.maxTokenLength();
    if (options.sentencePieceRules()) {
      return PieceRules.isValid(core, max);
    }
    return core.codePointCount(0, core.length()) <= max;
  }

  /** The word with every non-overlapping (left, right), scanned left to right, made one symbol. */
  private static int[] replace(int[] word, int left, int right, int merged) {
    int found = 0;
    for (int i = 0; i + 1 < word.length; i++) {
      if (word[i] == left && word[i + 1] == right) {
        found++;
        i++;
      }
    }
    if (found == 0) {
      return word;
    }
    int[] out = new int[word.length - found];
    int j = 0;
    for (int i = 0; i < word.length; i++) {
      if (i + 1 < word.length && word[i] == left && word[i + 1] == right) {
        out[j++] = merged;
        i++;
      } else {
        out[j++] = word[i];
      }
    }
    return out;
  }

  private int add(String symbol) {
    int id = symbols.size();
    symbols.add(symbol);
    ids.put(symbol, id);
    return id;
  }

  private record Candidate(long pair, long count) {}

  private Comparator<Candidate> candidateOrder() {
    return (a, b) -> {
      int c = Long.compare(b.count(), a.count());
      if (c != 0) {
        return c;
      }
      c =
          compareCodePoints(
              symbols.get(PairTable.left(a.pair())), symbols.get(PairTable.left(b.pair())));
      if (c != 0) {
        return c;
      }
      return compareCodePoints(
          symbols.get(PairTable.right(a.pair())), symbols.get(PairTable.right(b.pair())));
    };
  }

  /** Orders strings by code points (String.compareTo orders UTF-16 units, which differs). */
  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }
}
