package io.lmserve.tokenizer.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The hand-made seeds of {@link TokenizerFilesFuzzTest} are real tokenizers, so the fuzzer starts
 * from inputs that reach encoding, not only the parser's first refusal.
 */
class FuzzSeedsTest {

  private static final Path SEEDS =
      Path.of(
          System.getProperty("lmserve.root", "."),
          "tokenizer/src/test/resources/io/lmserve/tokenizer/fuzz/TokenizerFilesFuzzTestInputs");

  @Test
  void everyHandMadeSeedLoads() throws IOException {
    check("tokenizerJson", "tokenizer.json", "byte-level-bpe", "wordpiece-bert");
    check("tokenizerJson", "tokenizer.json", "unigram-metaspace", "wordlevel-whitespace");
    check("sentencePieceModel", "seed.model", "unigram-identity", "bpe-byte-fallback", "char");
    check("vocabTxt", "vocab.txt", "bert-small");
  }

  private static void check(String target, String fileName, String... seeds) throws IOException {
    for (String seed : seeds) {
      Path folder = Files.createTempDirectory("lmserve-seed");
      Path file = Files.copy(SEEDS.resolve(target).resolve(seed), folder.resolve(fileName));
      assertTrue(TokenizerFilesFuzzTest.use(file), target + "/" + seed + " should load");
      Files.delete(file);
      Files.delete(folder);
    }
  }
}
