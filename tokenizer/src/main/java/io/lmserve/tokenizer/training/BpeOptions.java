package io.lmserve.tokenizer.training;

import java.util.List;

/**
 * What a BPE-family trainer learns.
 *
 * @param vocabSize the vocabulary size to reach, special tokens and alphabet included
 * @param minFrequency a pair seen fewer times than this is never merged
 * @param specialTokens tokens placed first in the vocabulary, in this order
 * @param initialAlphabet characters always in the alphabet, seen or not
 * @param limitAlphabet at most this many characters in the alphabet (the most frequent; the initial
 *     alphabet always stays); 0 for no limit
 * @param characterCoverage the alphabet is the most frequent characters covering this fraction of
 *     all character occurrences (SentencePiece's {@code character_coverage}); 1 keeps every one
 * @param continuingSubwordPrefix put before every symbol that does not start a word ({@code ##} for
 *     WordPiece), or ""
 * @param endOfWordSuffix put after the last symbol of every word ({@code </w>}), or ""
 * @param maxTokenLength no token longer than this many characters (prefix and suffix excluded), 0
 *     for no limit
 * @param sentencePieceRules tokens follow SentencePiece's rules: {@code ▁} only at the start, one
 *     Unicode script per token
 */
record BpeOptions(
    int vocabSize,
    long minFrequency,
    List<String> specialTokens,
    String initialAlphabet,
    int limitAlphabet,
    double characterCoverage,
    String continuingSubwordPrefix,
    String endOfWordSuffix,
    int maxTokenLength,
    boolean sentencePieceRules) {

  public BpeOptions {
    if (vocabSize < 1 || vocabSize > TrainingOptions.MAX_VOCAB_SIZE) {
      throw new IllegalArgumentException(
          "vocabSize must be in [1, " + TrainingOptions.MAX_VOCAB_SIZE + "]: " + vocabSize);
    }
    if (minFrequency < 0) {
      throw new IllegalArgumentException("minFrequency must not be negative: " + minFrequency);
    }
    if (limitAlphabet < 0) {
      throw new IllegalArgumentException("limitAlphabet must not be negative: " + limitAlphabet);
    }
    if (!(characterCoverage > 0 && characterCoverage <= 1)) {
      throw new IllegalArgumentException(
          "characterCoverage must be in (0, 1]: " + characterCoverage);
    }
    if (maxTokenLength < 0) {
      throw new IllegalArgumentException("maxTokenLength must not be negative: " + maxTokenLength);
    }
    specialTokens = List.copyOf(specialTokens);
    if (specialTokens.stream().distinct().count() != specialTokens.size()) {
      throw new IllegalArgumentException("special tokens repeat: " + specialTokens);
    }
  }
}
