package io.lmserve.tokenizer.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.lmserve.tokenizer.Encoding;
import io.lmserve.tokenizer.Tokenizer;
import io.lmserve.tokenizer.TokenizerFormatException;
import io.lmserve.tokenizer.UnencodableTextException;
import io.lmserve.tokenizer.json.TokenizerFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Coverage-guided fuzzing of every tokenizer file the loader reads. Whatever the bytes, loading
 * either gives a tokenizer that encodes and decodes, or fails with a declared exception ({@link
 * TokenizerFormatException}, {@link IOException}); encoding may only refuse a text the vocabulary
 * cannot spell ({@link UnencodableTextException}, as HF does). Any other exception, an OOM or a
 * hang is a finding.
 *
 * <p>In a normal build this runs in Jazzer's regression mode: the seeds under {@code
 * src/test/resources/io/lmserve/tokenizer/fuzz/TokenizerFilesFuzzTestInputs/<method>/} and every
 * finding ever saved there. {@code JAZZER_FUZZ=1} fuzzes instead (see tokenizer/README.md).
 */
class TokenizerFilesFuzzTest {

  private static final List<String> TEXTS =
      List.of("Hello world!", " héllo  [CLS] <|endoftext|>", "中文\uD83D\uDE42\t\n", "");

  @FuzzTest(maxDuration = "60s")
  void tokenizerJson(byte[] data) throws IOException {
    loadAndUse("tokenizer.json", data);
  }

  @FuzzTest(maxDuration = "60s")
  void sentencePieceModel(byte[] data) throws IOException {
    loadAndUse("fuzz.model", data);
  }

  @FuzzTest(maxDuration = "60s")
  void vocabTxt(byte[] data) throws IOException {
    loadAndUse("vocab.txt", data);
  }

  /** GPT-2's two files: the input is split at its first NUL byte into vocab.json and merges.txt. */
  @FuzzTest(maxDuration = "60s")
  void vocabJsonAndMerges(byte[] data) throws IOException {
    int nul = 0;
    while (nul < data.length && data[nul] != 0) {
      nul++;
    }
    byte[] vocab = java.util.Arrays.copyOfRange(data, 0, nul);
    byte[] merges = java.util.Arrays.copyOfRange(data, Math.min(nul + 1, data.length), data.length);
    Path folder = Files.createTempDirectory("lmserve-fuzz");
    try {
      Files.write(folder.resolve("merges.txt"), merges);
      Path file = Files.write(folder.resolve("vocab.json"), vocab);
      use(file);
    } finally {
      deleteAll(folder);
    }
  }

  private static void loadAndUse(String name, byte[] data) throws IOException {
    Path folder = Files.createTempDirectory("lmserve-fuzz");
    try {
      use(Files.write(folder.resolve(name), data));
    } finally {
      deleteAll(folder);
    }
  }

  /** Loads the file and, if it is a tokenizer, encodes and decodes with it; true if it loaded. */
  static boolean use(Path file) {
    Tokenizer tokenizer;
    try {
      tokenizer = TokenizerFiles.load(file);
    } catch (TokenizerFormatException | IOException | UncheckedIOException refused) {
      return false; // a declared refusal: the file is not a tokenizer
    }
    for (String text : TEXTS) {
      Encoding encoding;
      try {
        encoding = tokenizer.encode(text);
      } catch (UnencodableTextException refused) {
        continue;
      }
      tokenizer.decode(encoding.ids(), false);
      tokenizer.decode(encoding.ids(), true);
    }
    return true;
  }

  private static void deleteAll(Path folder) throws IOException {
    try (var files = Files.list(folder)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(folder);
  }
}
