package io.lmserve.tokenizer.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.tokenizer.EncodeOptions;
import io.lmserve.tokenizer.Tokenizer;
import io.lmserve.tokenizer.sentencepiece.SpmCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Live comparison with {@code spm_train} (Debian {@code sentencepiece}, installed by CI): both
 * train Unigram and SentencePiece BPE with the shared models' settings (character coverage 0.9995,
 * byte fallback) on the same slice of the corpus, then the share of spm's pieces we also learn must
 * be at least 90 % and our tokens per byte on the held-out text within 3 % of spm_encode's.
 *
 * <p>The slice (10 000 lines, 1.5 MB) and vocabulary (2000) keep both trainings to seconds. The
 * full-size comparison (6 MB, 8000 pieces, with training times) is {@code bin/lmserve bench
 * training}.
 */
class SentencePieceComparisonTest {

  private static final int LINES = 10_000;
  private static final int VOCAB = 2000;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(
      value = TrainerType.class,
      names = {"UNIGRAM", "SENTENCEPIECE_BPE"})
  void learnsSentencePiecesPiecesAndCompressesAlike(TrainerType type) throws IOException {
    Path spmTrain = SpmCli.require("spm_train");
    Path spmEncode = SpmCli.require("spm_encode");
    Path corpus = dir.resolve("slice.txt");
    Files.write(corpus, TrainingCorpora.firstLines(LINES));
    String spmType = type == TrainerType.UNIGRAM ? "unigram" : "bpe";
    SpmCli.runRaw(
        spmTrain,
        List.of(
            "--input=" + corpus,
            "--model_prefix=" + dir.resolve(spmType),
            "--model_type=" + spmType,
            "--vocab_size=" + VOCAB,
            "--character_coverage=0.9995",
            "--byte_fallback=true",
            "--num_threads=2",
            "--minloglevel=2"),
        List.of());
    TrainedTokenizer trained =
        TokenizerTrainer.train(
            TrainingCorpus.ofFiles(List.of(corpus)),
            TrainingOptions.builder(type, VOCAB).byteFallback(true).threads(2).build(),
            TrainingProgress.NONE);

    Set<String> ours = new HashSet<>(trained.vocabulary());
    List<String> theirs =
        Files.readAllLines(dir.resolve(spmType + ".vocab")).stream()
            .map(l -> l.substring(0, l.indexOf('\t')))
            .toList();
    double overlap = theirs.stream().filter(ours::contains).count() / (double) theirs.size();

    List<String> heldout = heldout();
    long bytes = heldout.stream().mapToLong(l -> l.getBytes(StandardCharsets.UTF_8).length).sum();
    Tokenizer tokenizer = trained.asTokenizer().orElseThrow();
    EncodeOptions plain = EncodeOptions.defaults().withAddSpecialTokens(false);
    long ourTokens = 0;
    for (String line : heldout) {
      ourTokens += tokenizer.encodeIds(line, plain).length;
    }
    long spmTokens = 0;
    List<String> ids =
        SpmCli.run(
            spmEncode,
            List.of("--model=" + dir.resolve(spmType + ".model"), "--output_format=id"),
            heldout);
    for (String line : ids) {
      spmTokens += line.isEmpty() ? 0 : line.split(" ").length;
    }
    double ratio = (ourTokens / (double) bytes) / (spmTokens / (double) bytes);
    System.out.printf(
        Locale.ROOT,
        "%s vs spm_train (%d lines, vocab %d): %.2f %% of spm's pieces shared; tokens/byte"
            + " %+.2f %% vs spm%n",
        type.cliName(),
        LINES,
        VOCAB,
        100 * overlap,
        100 * (ratio - 1));
    assertTrue(overlap >= 0.90, "share of spm's pieces " + overlap);
    assertTrue(Math.abs(ratio - 1) <= 0.03, "tokens per byte / spm's " + ratio);
  }

  private static List<String> heldout() throws IOException {
    String text = Files.readString(TrainingCorpora.spmHeldout());
    List<String> lines = List.of(text.split("\n", -1));
    return text.endsWith("\n") ? lines.subList(0, lines.size() - 1) : lines;
  }
}
