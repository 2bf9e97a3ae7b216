package io.lmserve.tokenizer.training;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Trains a tokenizer of any {@link TrainerType} from a corpus: counts the words the type's
 * pre-tokenization yields, learns the model, and produces the files HF tokenizers (and lmserve's
 * loader) read.
 *
 * <pre>{@code
 * TrainedTokenizer trained = TokenizerTrainer.train(
 *     TrainingCorpus.ofFiles(List.of(Path.of("corpus.txt"))),
 *     TrainingOptions.builder(TrainerType.BYTE_BPE, 8000).build(),
 *     TrainingProgress.NONE);
 * trained.save(Path.of("out"));   // tokenizer.json, vocab.json, merges.txt
 * }</pre>
 */
public final class TokenizerTrainer {

  private TokenizerTrainer() {}

  public static TrainedTokenizer train(
      TrainingCorpus corpus, TrainingOptions options, TrainingProgress progress) {
    long start = System.nanoTime();
    WordCounts words =
        new WordCounter(splitterFor(options), options.threads(), WordCounter.DEFAULT_MAX_WORDS)
            .count(corpus, progress);
    Map<Integer, Long> characters = Alphabet.characterCounts(words);
    TrainedTokenizer result =
        switch (options.type()) {
          case UNIGRAM -> unigram(words, characters, options, progress, start);
          default -> bpeFamily(words, characters, options, progress, start);
        };
    progress.update("done", 1, 1);
    return result;
  }

  /** The word splitter a type trains with; its tokenizer.json pre-tokenizes the same way. */
  static WordSplitter splitterFor(TrainingOptions options) {
    return switch (options.type()) {
      case BPE -> new WhitespaceWords();
      case BYTE_BPE -> new ByteLevelWords(false);
      case WORDPIECE -> new BertWords(options.lowercase());
      case UNIGRAM, SENTENCEPIECE_BPE -> new MetaspaceWords(MetaspaceWords.SPM_MAX_SENTENCE_BYTES);
    };
  }

  private static TrainedTokenizer bpeFamily(
      WordCounts words,
      Map<Integer, Long> characters,
      TrainingOptions options,
      TrainingProgress progress,
      long start) {
    TrainerType type = options.type();
    List<String> reserved = new ArrayList<>(options.specialTokens());
    if (type == TrainerType.SENTENCEPIECE_BPE && options.byteFallback()) {
      reserved.addAll(bytePieces());
    }
    String alphabet = options.initialAlphabet();
    double coverage = options.characterCoverage();
    if (type == TrainerType.BYTE_BPE) {
      alphabet = ByteLevelWords.alphabet() + alphabet;
      coverage = 1.0;
    }
    BpeOptions bpe =
        new BpeOptions(
            options.vocabSize(),
            options.minFrequency(),
            reserved,
            alphabet,
            options.limitAlphabet(),
            coverage,
            type == TrainerType.WORDPIECE ? "##" : "",
            type == TrainerType.BPE ? "</w>" : "",
            options.maxPieceLength(),
            type == TrainerType.SENTENCEPIECE_BPE);
    LearnedBpe learned = BpeLearner.learn(words, bpe, progress);
    Set<String> specials = new LinkedHashSet<>(options.specialTokens());
    Map<String, byte[]> files = new LinkedHashMap<>();
    String unk = unknownToken(options);
    switch (type) {
      case BPE -> {
        files.put(
            "tokenizer.json",
            TokenizerJson.write(
                TokenizerJson.document(
                    learned.vocabulary(),
                    specials,
                    null,
                    TokenizerJson.component("WhitespaceSplit"),
                    null,
                    TokenizerJson.component("BPEDecoder", "suffix", "</w>"),
                    TokenizerJson.bpeModel(learned, unk, null, "</w>", false))));
        files.put("vocab.json", TokenizerJson.write(TokenizerJson.vocabMap(learned.vocabulary())));
        files.put("merges.txt", TokenizerJson.mergesTxt(learned));
      }
      case BYTE_BPE -> {
        files.put(
            "tokenizer.json",
            TokenizerJson.write(
                TokenizerJson.document(
                    learned.vocabulary(),
                    specials,
                    null,
                    byteLevel(false, true),
                    byteLevel(true, false),
                    byteLevel(true, true),
                    TokenizerJson.bpeModel(learned, null, null, null, false))));
        files.put("vocab.json", TokenizerJson.write(TokenizerJson.vocabMap(learned.vocabulary())));
        files.put("merges.txt", TokenizerJson.mergesTxt(learned));
      }
      case WORDPIECE -> {
        files.put(
            "tokenizer.json",
            TokenizerJson.write(WordPieceJson.document(learned.vocabulary(), specials, options)));
        files.put("vocab.txt", TokenizerJson.lines(learned.vocabulary()));
      }
      case SENTENCEPIECE_BPE -> {
        Map<String, Object> model = TokenizerJson.bpeModel(learned, unk, null, null, true);
        model.put("fuse_unk", true);
        model.put("byte_fallback", options.byteFallback());
        files.put(
            "tokenizer.json",
            TokenizerJson.write(
                TokenizerJson.document(
                    learned.vocabulary(),
                    specials,
                    SentencePieceJson.normalizer(),
                    SentencePieceJson.preTokenizer(),
                    null,
                    SentencePieceJson.decoder(),
                    model)));
      }
      case UNIGRAM -> throw new IllegalStateException("not a BPE type");
    }
    return new TrainedTokenizer(
        learned.vocabulary(),
        files,
        summary(
            options, learned.vocabulary().size(), words, characters, learned.alphabet(), start));
  }

  private static TrainedTokenizer unigram(
      WordCounts words,
      Map<Integer, Long> characters,
      TrainingOptions options,
      TrainingProgress progress,
      long start) {
    LearnedUnigram learned = UnigramTrainer.learn(words, characters, options, progress);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(
        "tokenizer.json", TokenizerJson.write(SentencePieceJson.unigramDocument(learned, options)));
    StringBuilder vocab = new StringBuilder();
    for (int i = 0; i < learned.pieces().size(); i++) {
      vocab.append(learned.pieces().get(i)).append('\t').append(learned.scores()[i]).append('\n');
    }
    files.put("unigram.vocab", vocab.toString().getBytes(StandardCharsets.UTF_8));
    return new TrainedTokenizer(
        learned.pieces(),
        files,
        summary(options, learned.pieces().size(), words, characters, learned.alphabet(), start));
  }

  static String unknownToken(TrainingOptions options) {
    for (String candidate : List.of("<unk>", "[UNK]", "<UNK>")) {
      if (options.specialTokens().contains(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  static List<String> bytePieces() {
    List<String> pieces = new ArrayList<>(256);
    for (int b = 0; b < 256; b++) {
      pieces.add(String.format("<0x%02X>", b));
    }
    return pieces;
  }

  /** GPT-2's ByteLevel settings: no prefix space when splitting, as its tokenizer.json has. */
  private static Map<String, Object> byteLevel(boolean addPrefixSpace, boolean trimOffsets) {
    return TokenizerJson.component(
        "ByteLevel",
        "add_prefix_space",
        addPrefixSpace,
        "trim_offsets",
        trimOffsets,
        "use_regex",
        true);
  }

  private static TrainingSummary summary(
      TrainingOptions options,
      int vocabSize,
      WordCounts words,
      Map<Integer, Long> characters,
      int[] alphabet,
      long start) {
    long total = 0;
    long covered = 0;
    Set<Integer> inAlphabet = new java.util.HashSet<>();
    for (int cp : alphabet) {
      inAlphabet.add(cp);
    }
    for (Map.Entry<Integer, Long> entry : characters.entrySet()) {
      total += entry.getValue();
      if (inAlphabet.contains(entry.getKey())) {
        covered += entry.getValue();
      }
    }
    return new TrainingSummary(
        options.type(),
        vocabSize,
        words.lines(),
        words.size(),
        alphabet.length,
        total == 0 ? 1.0 : (double) covered / total,
        Duration.ofNanos(System.nanoTime() - start));
  }
}
