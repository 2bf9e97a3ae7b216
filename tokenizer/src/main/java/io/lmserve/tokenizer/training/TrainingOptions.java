package io.lmserve.tokenizer.training;

import java.util.List;

/**
 * Everything a training run is told. Build with {@link #builder(TrainerType, int)}; unset fields
 * get the defaults of the type (HF tokenizers' trainers for BPE, byte-level BPE and WordPiece,
 * {@code spm_train} for Unigram and SentencePiece BPE).
 *
 * @param type which kind of tokenizer
 * @param vocabSize size of the final vocabulary, special tokens included
 * @param minFrequency BPE family: pairs rarer than this are not merged
 * @param specialTokens first ids of the vocabulary, in order
 * @param initialAlphabet characters always in the alphabet
 * @param limitAlphabet BPE family: at most this many alphabet characters, 0 for no limit
 * @param characterCoverage the alphabet covers this fraction of character occurrences; the rest are
 *     unknown (or bytes with byte fallback)
 * @param byteFallback Unigram and SentencePiece BPE: add {@code <0x00>}..{@code <0xFF>} pieces so
 *     characters outside the vocabulary are spelled as bytes instead of being unknown
 * @param lowercase WordPiece: lowercase and strip accents (BERT uncased)
 * @param maxPieceLength longest token in characters (SentencePiece's 16 for Unigram and
 *     SentencePiece BPE), 0 for no limit
 * @param threads threads for word counting and the Unigram E-step
 */
public record TrainingOptions(
    TrainerType type,
    int vocabSize,
    long minFrequency,
    List<String> specialTokens,
    String initialAlphabet,
    int limitAlphabet,
    double characterCoverage,
    boolean byteFallback,
    boolean lowercase,
    int maxPieceLength,
    int threads) {

  /** Vocabularies beyond this are refused: ids are ints and the tables grow with the vocabulary. */
  public static final int MAX_VOCAB_SIZE = 10_000_000;

  /** Most threads a run may use. */
  public static final int MAX_THREADS = 256;

  public TrainingOptions {
    if (vocabSize < 1 || vocabSize > MAX_VOCAB_SIZE) {
      throw new IllegalArgumentException(
          "vocab size must be in [1, " + MAX_VOCAB_SIZE + "]: " + vocabSize);
    }
    if (threads < 1 || threads > MAX_THREADS) {
      throw new IllegalArgumentException("threads must be in [1, " + MAX_THREADS + "]: " + threads);
    }
    if (maxPieceLength < 0) {
      throw new IllegalArgumentException("maxPieceLength must not be negative: " + maxPieceLength);
    }
    specialTokens = List.copyOf(specialTokens);
    if (specialTokens.size() >= vocabSize) {
      throw new IllegalArgumentException(
          "vocab size "
              + vocabSize
              + " leaves no room beside "
              + specialTokens.size()
              + " special tokens");
    }
  }

  public static Builder builder(TrainerType type, int vocabSize) {
    return new Builder(type, vocabSize);
  }

  /** Sets fields one by one; {@link #build()} checks them. */
  public static final class Builder {
    private final TrainerType type;
    private final int vocabSize;
    private long minFrequency;
    private List<String> specialTokens;
    private String initialAlphabet = "";
    private int limitAlphabet;
    private double characterCoverage;
    private boolean byteFallback;
    private boolean lowercase = true;
    private int maxPieceLength;
    private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

    private Builder(TrainerType type, int vocabSize) {
      this.type = type;
      this.vocabSize = vocabSize;
      this.specialTokens = type.defaultSpecialTokens();
      boolean sentencePiece = type == TrainerType.UNIGRAM || type == TrainerType.SENTENCEPIECE_BPE;
      this.minFrequency = sentencePiece ? 1 : 2;
      this.characterCoverage = sentencePiece ? 0.9995 : 1.0;
      this.maxPieceLength = sentencePiece ? 16 : 0;
    }

    public Builder minFrequency(long value) {
      minFrequency = value;
      return this;
    }

    public Builder specialTokens(List<String> value) {
      specialTokens = value;
      return this;
    }

    public Builder initialAlphabet(String value) {
      initialAlphabet = value;
      return this;
    }

    public Builder limitAlphabet(int value) {
      limitAlphabet = value;
      return this;
    }

    public Builder characterCoverage(double value) {
      characterCoverage = value;
      return this;
    }

    public Builder byteFallback(boolean value) {
      byteFallback = value;
      return this;
    }

    public Builder lowercase(boolean value) {
      lowercase = value;
      return this;
    }

    public Builder maxPieceLength(int value) {
      maxPieceLength = value;
      return this;
    }

    public Builder threads(int value) {
      threads = value;
      return this;
    }

    public TrainingOptions build() {
      return new TrainingOptions(
          type,
          vocabSize,
          minFrequency,
          specialTokens,
          initialAlphabet,
          limitAlphabet,
          characterCoverage,
          byteFallback,
          lowercase,
          maxPieceLength,
          threads);
    }
  }
}
