package io.lmserve.tokenizer.training;

import io.lmserve.tokenizer.AddedToken;
import io.lmserve.tokenizer.Tokenizer;
import io.lmserve.tokenizer.json.TokenizerFiles;
import io.lmserve.tokenizer.json.TokenizerJsonReader;
import io.lmserve.tokenizer.model.Bpe;
import io.lmserve.tokenizer.model.Model;
import io.lmserve.tokenizer.model.Vocabulary;
import io.lmserve.tokenizer.model.WordPiece;
import io.lmserve.tokenizer.pretokenizer.ByteAlphabet;
import io.lmserve.tokenizer.processor.ByteLevelProcessing;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Trains a tokenizer of any {@link TrainerType} from a corpus: counts the words the type's own
 * normalizer and pre-tokenizer yield, learns the model, and assembles a ready {@link Tokenizer}
 * that saves the files HF tokenizers read.
 *
 * <pre>{@code
 * TrainedTokenizer trained = TokenizerTrainer.train(
 *     TrainingCorpus.ofFiles(List.of(Path.of("corpus.txt"))),
 *     TrainingOptions.builder(TrainerType.BYTE_BPE, 8000).build(),
 *     TrainingProgress.NONE);
 * trained.save(Path.of("out"));   // tokenizer.json, vocab.json, merges.txt, ...
 * }</pre>
 */
public final class TokenizerTrainer {

  private TokenizerTrainer() {}

  public static TrainedTokenizer train(
      TrainingCorpus corpus, TrainingOptions options, TrainingProgress progress) {
    long start = System.nanoTime();
    TrainingPipeline pipeline = TrainingPipeline.of(options);
    WordCounts words =
        new WordCounter(pipeline.words(), options.threads(), WordCounter.DEFAULT_MAX_WORDS)
            .count(corpus, progress);
    Map<Integer, Long> characters = Alphabet.characterCounts(words);
    TrainedTokenizer result =
        options.type() == TrainerType.UNIGRAM
            ? unigram(words, characters, options, progress, start)
            : bpeFamily(words, characters, options, pipeline, progress, start);
    progress.update("done", 1, 1);
    return result;
  }

  private static TrainedTokenizer bpeFamily(
      WordCounts words,
      Map<Integer, Long> characters,
      TrainingOptions options,
      TrainingPipeline pipeline,
      TrainingProgress progress,
      long start) {
    TrainerType type = options.type();
    List<String> reserved = new ArrayList<>(options.specialTokens());
    boolean byteFallback = type == TrainerType.SENTENCEPIECE_BPE && options.byteFallback();
    if (byteFallback) {
      reserved.addAll(bytePieces());
    }
    String alphabet = options.initialAlphabet();
    double coverage = options.characterCoverage();
    if (type == TrainerType.BYTE_BPE) {
      StringBuilder bytes = new StringBuilder(256);
      for (int b = 0; b < 256; b++) {
        bytes.append(ByteAlphabet.charOf(b));
      }
      alphabet = bytes + alphabet;
      coverage = 1.0;
    }
    String prefix = type == TrainerType.WORDPIECE ? "##" : "";
    String suffix = type == TrainerType.BPE ? "</w>" : "";
    BpeOptions bpe =
        new BpeOptions(
            options.vocabSize(),
            options.minFrequency(),
            reserved,
            alphabet,
            options.limitAlphabet(),
            coverage,
            prefix,
            suffix,
            options.maxPieceLength(),
            type == TrainerType.SENTENCEPIECE_BPE);
    LearnedBpe learned = BpeLearner.learn(words, bpe, progress);

    Vocabulary vocabulary = new Vocabulary(vocabMap(learned.vocabulary()));
    String unk = unknownToken(options);
    Model model;
    if (type == TrainerType.WORDPIECE) {
      if (unk == null) {
        throw new IllegalArgumentException(
            "a WordPiece model needs an unknown token among the special tokens (e.g. [UNK])");
      }
      model = new WordPiece(vocabulary, unk, prefix, 100);
    } else {
      boolean sentencePiece = type == TrainerType.SENTENCEPIECE_BPE;
      model =
          new Bpe(
              vocabulary,
              learned.merges(),
              new Bpe.Options(
                  null,
                  type == TrainerType.BYTE_BPE ? null : unk,
                  prefix,
                  suffix,
                  sentencePiece,
                  byteFallback,
                  false));
    }
    Tokenizer.Builder builder =
        Tokenizer.builder()
            .normalizer(pipeline.normalizer())
            .preTokenizer(pipeline.preTokenizer())
            .model(model)
            .decoder(pipeline.decoder());
    for (String special : options.specialTokens()) {
      builder.addedToken(vocabulary.get(special), AddedToken.special(special));
    }
    if (type == TrainerType.BYTE_BPE) {
      builder.postProcessor(new ByteLevelProcessing(true, false, true));
    }
    if (type == TrainerType.WORDPIECE
        && options.specialTokens().contains("[CLS]")
        && options.specialTokens().contains("[SEP]")) {
      builder.postProcessor(
          TokenizerFiles.bertTemplate(
              "[CLS]", vocabulary.get("[CLS]"), "[SEP]", vocabulary.get("[SEP]")));
    }
    String family =
        switch (type) {
          case BYTE_BPE -> "gpt2-bpe";
          case WORDPIECE -> "wordpiece";
          case SENTENCEPIECE_BPE -> "sentencepiece-bpe";
          default -> "bpe";
        };
    Tokenizer tokenizer =
        builder
            .config(
                new Tokenizer.TokenizerConfig(
                    family,
                    specialTokenRoles(options.specialTokens()),
                    type == TrainerType.WORDPIECE,
                    0))
            .build();
    return new TrainedTokenizer(
        learned.vocabulary(),
        tokenizer,
        Map.of(),
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
    Map<String, String> roles = specialTokenRoles(options.specialTokens());
    byte[] json = TokenizerJson.write(SentencePieceJson.unigramDocument(learned, options, roles));
    files.put("tokenizer.json", json);
    // The tokenizer is read from the very file that is saved, so it is what loading it gives.
    Tokenizer tokenizer =
        new TokenizerJsonReader("the trained Unigram tokenizer.json")
            .read(TokenizerJson.read(json))
            .config(new Tokenizer.TokenizerConfig("unigram", roles, false, 0))
            .build();
    StringBuilder vocab = new StringBuilder();
    for (int i = 0; i < learned.pieces().size(); i++) {
      vocab.append(learned.pieces().get(i)).append('\t').append(learned.scores()[i]).append('\n');
    }
    files.put("unigram.vocab", vocab.toString().getBytes(StandardCharsets.UTF_8));
    return new TrainedTokenizer(
        learned.pieces(),
        tokenizer,
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

  /** HF's roles (unk_token, cls_token, ...) for the special tokens whose names are conventional. */
  static Map<String, String> specialTokenRoles(List<String> specialTokens) {
    Map<String, String> roles = new LinkedHashMap<>();
    for (String token : specialTokens) {
      String role =
          switch (token) {
            case "<unk>", "[UNK]", "<UNK>" -> "unk_token";
            case "<s>", "[BOS]" -> "bos_token";
            case "</s>", "[EOS]" -> "eos_token";
            case "<pad>", "[PAD]" -> "pad_token";
            case "[CLS]", "<cls>" -> "cls_token";
            case "[SEP]", "<sep>" -> "sep_token";
            case "[MASK]", "<mask>" -> "mask_token";
            default -> null;
          };
      if (role != null) {
        roles.putIfAbsent(role, token);
      }
    }
    if (specialTokens.contains("<|endoftext|>")) {
      for (String role : List.of("bos_token", "eos_token", "unk_token")) {
        roles.putIfAbsent(role, "<|endoftext|>");
      }
    }
    return roles;
  }

  static List<String> bytePieces() {
    List<String> pieces = new ArrayList<>(256);
    for (int b = 0; b < 256; b++) {
      pieces.add(String.format("<0x%02X>", b));
    }
    return pieces;
  }

  private static Map<String, Integer> vocabMap(List<String> vocabulary) {
    Map<String, Integer> map = new LinkedHashMap<>();
    for (int id = 0; id < vocabulary.size(); id++) {
      map.putIfAbsent(vocabulary.get(id), id);
    }
    return map;
  }

  private static TrainingSummary summary(
      TrainingOptions options,
      int vocabSize,
      WordCounts words,
      Map<Integer, Long> characters,
      int[] alphabet,
      long start) {
    Set<Integer> inAlphabet = new HashSet<>();
    for (int cp : alphabet) {
      inAlphabet.add(cp);
    }
    long total = 0;
    long covered = 0;
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
