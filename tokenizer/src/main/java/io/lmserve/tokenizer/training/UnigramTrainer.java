package io.lmserve.tokenizer.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * SentencePiece's Unigram training, on the word table.
 *
 * <ol>
 *   <li>Seed: every character of the alphabet, plus the right-maximal substrings of the words
 *       (found with a suffix array) that are valid pieces, ranked by frequency × length; the best
 *       {@link #SEED_SIZE} become the first vocabulary, scored by their log relative frequency.
 *   <li>EM: the E-step computes each piece's expected count over all segmentations of every word
 *       (forward-backward on the piece lattice); the M-step drops pieces expected less than half a
 *       time and rescores the rest with SentencePiece's Bayesian update, {@code digamma(count) -
 *       digamma(total)}.
 *   <li>Prune: each piece's loss is how much the corpus likelihood drops if it is removed and its
 *       occurrences are re-segmented by its second-best segmentation; the vocabulary is cut to the
 *       larger of 75 % of itself and 110 % of the target, dropping the smallest losses, and EM runs
 *       again, until the target is in reach.
 *   <li>Finish: all required characters, then the best-scored pieces up to the vocabulary size.
 * </ol>
 *
 * Work is split into fixed blocks of words whose results are added in block order, so the result
 * does not depend on the number of threads.
 */
final class UnigramTrainer {

  static final int SEED_SIZE = 1_000_000;
  private static final int SUB_ITERATIONS = 2;
  private static final double SHRINKING_FACTOR = 0.75;
  private static final double EXPECTED_FREQUENCY_THRESHOLD = 0.5;
  private static final int BLOCK = 1024;
  private static final int UNKNOWN = -1;

  private final int[][] words;
  private final long[] counts;
  private final int maxLength;
  private final ExecutorService pool;

  private List<String> pieces;
  private List<int[]> pieceCodePoints;
  private double[] scores;
  private PieceTrie trie;

  private UnigramTrainer(int[][] words, long[] counts, int maxLength, ExecutorService pool) {
    this.words = words;
    this.counts = counts;
    this.maxLength = maxLength;
    this.pool = pool;
  }

  static LearnedUnigram learn(
      WordCounts table,
      Map<Integer, Long> characters,
      TrainingOptions options,
      TrainingProgress progress) {
    String unk = TokenizerTrainer.unknownToken(options);
    if (unk == null) {
      throw new IllegalArgumentException(
          "a Unigram model needs an unknown token among the special tokens (e.g. <unk>)");
    }
    List<String> meta = new ArrayList<>(options.specialTokens());
    if (options.byteFallback()) {
      meta.addAll(TokenizerTrainer.bytePieces());
    }
    int budget = options.vocabSize() - meta.size();
    int[] alphabet =
        Alphabet.choose(characters, options.initialAlphabet(), 0, options.characterCoverage());
    if (budget <= alphabet.length) {
      throw new IllegalArgumentException(
          "vocab size "
              + options.vocabSize()
              + " is too small for "
              + meta.size()
              + " special/byte pieces and "
              + alphabet.length
              + " required characters (raise it or lower the character coverage)");
    }
    // Unigram pieces are bounded in any case: the lattice looks at most this far ahead.
    int maxLength =
        options.maxPieceLength() == 0
            ? PieceTrie.MAX_DEPTH
            : Math.min(options.maxPieceLength(), PieceTrie.MAX_DEPTH);
    int[][] words = new int[table.size()][];
    for (int w = 0; w < table.size(); w++) {
      int[] cps = table.words()[w].codePoints().toArray();
      for (int i = 0; i < cps.length; i++) {
        if (Arrays.binarySearch(alphabet, cps[i]) < 0) {
          cps[i] = UNKNOWN;
        }
      }
      words[w] = cps;
    }
    try (ExecutorService pool = Workers.pool(options.threads(), "lmserve-unigram-trainer")) {
      UnigramTrainer trainer = new UnigramTrainer(words, table.counts(), maxLength, pool);
      return trainer.run(alphabet, characters, meta, budget, options.vocabSize(), progress);
    }
  }

  private LearnedUnigram run(
      int[] alphabet,
      Map<Integer, Long> characters,
      List<String> meta,
      int budget,
      int vocabSize,
      TrainingProgress progress) {
    progress.update("seed pieces", 0, 1);
    seed(alphabet, characters);
    progress.update("seed pieces", 1, 1);
    int desired = (int) (vocabSize * 1.1);
    int startSize = pieces.size();
    while (true) {
      for (int sub = 0; sub < SUB_ITERATIONS; sub++) {
        double[] expected = expectation();
        maximize(expected);
      }
      progress.update("prune", startSize - pieces.size(), startSize - desired);
      if (pieces.size() <= desired) {
        break;
      }
      int before = pieces.size();
      prune(desired);
      if (pieces.size() >= before) {
        break; // nothing left that can be pruned: finish() cuts to the vocabulary size
      }
    }
    return finish(alphabet, meta, budget);
  }

  // ---- seeding ----

  private void seed(int[] alphabet, Map<Integer, Long> characters) {
    Map<String, Long> candidates = frequentSubstrings();
    List<String> ranked = new ArrayList<>(candidates.keySet());
    ranked.sort(
        (a, b) -> {
          int c = Long.compare(candidates.get(b), candidates.get(a));
          return c != 0 ? c : BpeLearner.compareCodePoints(a, b);
        });
    List<String> seeds = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    for (int cp : alphabet) {
      seeds.add(Character.toString(cp));
      weights.add((double) Math.max(1, characters.getOrDefault(cp, 0L)));
    }
    for (String piece : ranked) {
      if (seeds.size() >= SEED_SIZE) {
        break;
      }
      seeds.add(piece);
      weights.add((double) candidates.get(piece));
    }
    double logSum = Math.log(weights.stream().mapToDouble(Double::doubleValue).sum());
    double[] seedScores = new double[seeds.size()];
    for (int i = 0; i < seedScores.length; i++) {
      seedScores[i] = Math.log(weights.get(i)) - logSum;
    }
    setPieces(seeds, seedScores);
  }

  /**
   * Substrings of two or more characters that are valid pieces and right-maximal, with frequency ×
   * length. Right-maximal means followed by at least two different characters; every word end
   * counts as the same character, since in running text a word is followed by the next word's
   * {@code ▁} (which is what {@code spm_train} sees: a word never followed by anything but a space
   * is no seed of its own unless a longer word starts with it).
   */
  private Map<String, Long> frequentSubstrings() {
    int total = 0;
    for (int[] word : words) {
      total += word.length + 1;
    }
    // Characters get dense ranks; the word separator ranks above every character.
    int[] distinct =
        Arrays.stream(words).flatMapToInt(Arrays::stream).distinct().sorted().toArray();
    int separator = distinct.length;
    int[] text = new int[total];
    int[] raw = new int[total];
    long[] weightOf = new long[total];
    int p = 0;
    for (int w = 0; w < words.length; w++) {
      for (int cp : words[w]) {
        raw[p] = cp;
        text[p] = Arrays.binarySearch(distinct, cp);
        weightOf[p++] = counts[w];
      }
      raw[p] = UNKNOWN;
      text[p++] = separator;
    }
    int[] sa = SuffixArray.build(text, separator + 1);
    int[] lcp = SuffixArray.lcp(text, sa);
    long[] prefixWeight = new long[total + 1];
    for (int j = 0; j < total; j++) {
      prefixWeight[j + 1] = prefixWeight[j] + weightOf[sa[j]];
    }
    Map<String, Long> result = new HashMap<>();
    // Internal nodes of the suffix tree: intervals [lb, rb] of suffixes sharing h characters.
    // Labels that run into a separator are rejected by the piece rules (it reads as UNKNOWN).
    int[] stackH = new int[total + 1];
    int[] stackLb = new int[total + 1];
    int top = 0;
    for (int i = 1; i <= total; i++) {
      int h = i < total ? lcp[i] : 0;
      int lb = i - 1;
      while (h < stackH[top]) {
        int nodeH = stackH[top];
        lb = stackLb[top--];
        addCandidate(result, raw, sa[lb], nodeH, prefixWeight[i] - prefixWeight[lb]);
      }
      if (h > stackH[top]) {
        stackH[++top] = h;
        stackLb[top] = lb;
      }
    }
    return result;
  }

  private void addCandidate(Map<String, Long> result, int[] raw, int start, int length, long freq) {
    if (length < 2
        || length > maxLength
        || !PieceRules.isValid(raw, start, start + length, maxLength)) {
      return;
    }
    result.put(new String(raw, start, length), freq * length);
  }

  // ---- EM ----

  private void setPieces(List<String> newPieces, double[] newScores) {
    pieces = newPieces;
    scores = newScores;
    pieceCodePoints = new ArrayList<>(pieces.size());
    int nodes = 0;
    for (String piece : pieces) {
      int[] cps = piece.codePoints().toArray();
      pieceCodePoints.add(cps);
      nodes += cps.length;
    }
    trie = new PieceTrie(nodes);
    for (int i = 0; i < pieces.size(); i++) {
      trie.add(pieceCodePoints.get(i), i);
    }
  }

  private double unknownScore() {
    double min = Double.POSITIVE_INFINITY;
    for (double s : scores) {
      min = Math.min(min, s);
    }
    return min - 10;
  }

  /** Expected count of every piece over all segmentations of all words. */
  private double[] expectation() {
    double unk = unknownScore();
    List<double[]> blockResults = runBlocks(block -> expectBlock(block, unk));
    double[] expected = new double[pieces.size()];
    for (double[] sparse : blockResults) {
      for (int i = 0; i < sparse.length; i += 2) {
        expected[(int) sparse[i]] += sparse[i + 1];
      }
    }
    return expected;
  }

  /** (piece, expected count) pairs for one block of words, flattened. */
  private double[] expectBlock(int block, double unk) {
    UnigramLattice lattice = new UnigramLattice(trie, scores, maxLength);
    double[] out = new double[64];
    int n = 0;
    int end = Math.min(words.length, (block + 1) * BLOCK);
    for (int w = block * BLOCK; w < end; w++) {
      lattice.build(words[w], unk);
      double[] marginals = lattice.marginals();
      for (int k = 0; k < lattice.size; k++) {
        int piece = lattice.piece[k];
        if (piece < 0) {
          continue;
        }
        if (n + 2 > out.length) {
          out = Arrays.copyOf(out, out.length * 2);
        }
        out[n++] = piece;
        out[n++] = counts[w] * marginals[k];
      }
    }
    return Arrays.copyOf(out, n);
  }

  private void maximize(double[] expected) {
    List<String> kept = new ArrayList<>();
    List<Double> freqs = new ArrayList<>();
    double sum = 0;
    for (int i = 0; i < pieces.size(); i++) {
      if (expected[i] < EXPECTED_FREQUENCY_THRESHOLD) {
        continue;
      }
      kept.add(pieces.get(i));
      freqs.add(expected[i]);
      sum += expected[i];
    }
    double logSum = digamma(sum);
    double[] newScores = new double[kept.size()];
    for (int i = 0; i < newScores.length; i++) {
      newScores[i] = digamma(freqs.get(i)) - logSum;
    }
    setPieces(kept, newScores);
  }

  /** Digamma by recurrence up to 7 and the asymptotic series, as SentencePiece computes it. */
  static double digamma(double x) {
    double result = 0;
    for (; x < 7; ++x) {
      result -= 1 / x;
    }
    x -= 0.5;
    double xx = 1 / x;
    double xx2 = xx * xx;
    double xx4 = xx2 * xx2;
    result +=
        Math.log(x)
            + (1.0 / 24) * xx2
            - (7.0 / 960) * xx4
            + (31.0 / 8064) * xx4 * xx2
            - (127.0 / 30720) * xx4 * xx4;
    return result;
  }

  // ---- pruning ----

  private void prune(int desired) {
    double unk = unknownScore();
    int size = pieces.size();
    boolean[] removable = new boolean[size];
    int[][] alternatives = new int[size][];
    UnigramLattice lattice = new UnigramLattice(trie, scores, maxLength);
    for (int i = 0; i < size; i++) {
      int[] cps = pieceCodePoints.get(i);
      lattice.build(cps, unk);
      int[] best = lattice.viterbi(-1);
      if (best.length >= 2) {
        removable[i] = true;
      } else {
        int[] second = lattice.viterbi(i);
        alternatives[i] = second == null ? new int[0] : second;
      }
    }
    // Viterbi over the corpus: how often each piece is used, and in which words.
    List<int[][]> blockPaths =
        runBlocks(
            block -> {
              UnigramLattice local = new UnigramLattice(trie, scores, maxLength);
              int end = Math.min(words.length, (block + 1) * BLOCK);
              int[][] paths = new int[end - block * BLOCK][];
              for (int w = block * BLOCK; w < end; w++) {
                local.build(words[w], unk);
                paths[w - block * BLOCK] = local.viterbi(-1);
              }
              return paths;
            });
    double[] freq = new double[size];
    int[][] inverted = new int[size][];
    int[] invertedSize = new int[size];
    double totalWords = 0;
    int w = 0;
    for (int[][] paths : blockPaths) {
      for (int[] path : paths) {
        totalWords += counts[w];
        for (int piece : path) {
          if (piece < 0) {
            continue;
          }
          freq[piece] += counts[w];
          if (inverted[piece] == null) {
            inverted[piece] = new int[2];
          } else if (invertedSize[piece] == inverted[piece].length) {
            inverted[piece] = Arrays.copyOf(inverted[piece], invertedSize[piece] * 2);
          }
          inverted[piece][invertedSize[piece]++] = w;
        }
        w++;
      }
    }
    double sum = Arrays.stream(freq).sum();
    double logSum = Math.log(sum);
    List<Integer> keep = new ArrayList<>();
    List<Integer> candidates = new ArrayList<>();
    double[] loss = new double[size];
    for (int i = 0; i < size; i++) {
      if (freq[i] == 0 || removable[i]) {
        continue;
      }
      if (alternatives[i].length == 0) {
        keep.add(i);
        continue;
      }
      double f = 0;
      for (int k = 0; k < invertedSize[i]; k++) {
        f += counts[inverted[i][k]];
      }
      f /= totalWords;
      double logProbPiece = Math.log(freq[i]) - logSum;
      double logSumAlt = Math.log(sum + freq[i] * (alternatives[i].length - 1));
      double logProbAlt = 0;
      for (int alt : alternatives[i]) {
        if (alt < 0) {
          continue; // an unknown character: it has no frequency to gain
        }
        logProbAlt += Math.log(freq[alt] + freq[i]) - logSumAlt;
      }
      loss[i] = f * (logProbPiece - logProbAlt);
      candidates.add(i);
    }
    candidates.sort(
        (a, b) -> {
          int c = Double.compare(loss[b], loss[a]);
          return c != 0 ? c : Integer.compare(a, b);
        });
    int prunedSize = Math.max(desired, (int) (SHRINKING_FACTOR * size));
    for (int i : candidates) {
      if (keep.size() >= prunedSize) {
        break;
      }
      keep.add(i);
    }
    List<String> newPieces = new ArrayList<>(keep.size());
    double[] newScores = new double[keep.size()];
    for (int k = 0; k < keep.size(); k++) {
      newPieces.add(pieces.get(keep.get(k)));
      newScores[k] = scores[keep.get(k)];
    }
    setPieces(newPieces, newScores);
  }

  // ---- result ----

  private LearnedUnigram finish(int[] alphabet, List<String> meta, int budget) {
    Map<String, Double> current = new HashMap<>();
    for (int i = 0; i < pieces.size(); i++) {
      current.put(pieces.get(i), scores[i]);
    }
    double min = Arrays.stream(scores).min().orElse(0);
    Map<String, Double> chosen = new HashMap<>();
    // Required characters, the frequent first; missing ones just below the worst score.
    double penalty = 0;
    for (int cp : alphabet) {
      String c = Character.toString(cp);
      Double score = current.get(c);
      if (score != null) {
        chosen.put(c, score);
      } else {
        chosen.put(c, min + penalty);
        penalty -= 0.0001;
      }
    }
    List<String> byScore = new ArrayList<>(current.keySet());
    byScore.sort(
        (a, b) -> {
          int c = Double.compare(current.get(b), current.get(a));
          return c != 0 ? c : BpeLearner.compareCodePoints(a, b);
        });
    for (String piece : byScore) {
      if (chosen.size() >= budget) {
        break;
      }
      chosen.putIfAbsent(piece, current.get(piece));
    }
    List<String> ordered = new ArrayList<>(chosen.keySet());
    ordered.sort(
        (a, b) -> {
          int c = Double.compare(chosen.get(b), chosen.get(a));
          return c != 0 ? c : BpeLearner.compareCodePoints(a, b);
        });
    List<String> all = new ArrayList<>(meta);
    double[] allScores = new double[meta.size() + ordered.size()];
    for (String piece : ordered) {
      allScores[all.size()] = chosen.get(piece);
      all.add(piece);
    }
    return new LearnedUnigram(all, allScores, alphabet);
  }

  // ---- helpers ----

  private <T> List<T> runBlocks(java.util.function.IntFunction<T> work) {
    int blocks = (words.length + BLOCK - 1) / BLOCK;
    List<Future<T>> futures = new ArrayList<>(blocks);
    for (int b = 0; b < blocks; b++) {
      int block = b;
      futures.add(pool.submit(() -> work.apply(block)));
    }
    List<T> results = new ArrayList<>(blocks);
    for (Future<T> future : futures) {
      results.add(Workers.await(future));
    }
    return results;
  }
}
