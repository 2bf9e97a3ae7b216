package io.lmserve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainTokenizerCommandTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(boolean terminal, String... args) throws Exception {
    return new TrainTokenizerCommand()
        .run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            terminal);
  }

  private Path corpus() throws Exception {
    Path corpus = dir.resolve("corpus.txt");
    Files.writeString(corpus, "the cat sat on the mat\nthe dog sat on the log\n".repeat(200));
    return corpus;
  }

  @Test
  void trainsAndWritesTheFilesWithASummaryAndPlainProgressLines() throws Exception {
    Path outDir = dir.resolve("wp");
    int code =
        run(
            false,
            "--type",
            "wordpiece",
            "--vocab-size",
            "60",
            "--out",
            outDir.toString(),
            corpus().toString());
    assertEquals(0, code);
    assertTrue(Files.exists(outDir.resolve("tokenizer.json")));
    assertTrue(Files.exists(outDir.resolve("vocab.txt")));
    String summary = out.toString(StandardCharsets.UTF_8);
    assertTrue(summary.startsWith("wordpiece: vocab "), summary);
    String progress = err.toString(StandardCharsets.UTF_8);
    assertTrue(progress.contains("count words: 100%\n"), progress);
    assertTrue(progress.contains("merge: 100%\n"), progress);
    assertTrue(!progress.contains("\r"), "no carriage returns off a terminal");
  }

  @Test
  void drawsABarOnATerminal() throws Exception {
    run(
        true,
        "--type",
        "byte-bpe",
        "--vocab-size",
        "300",
        "--out",
        dir.resolve("b").toString(),
        corpus().toString());
    String progress = err.toString(StandardCharsets.UTF_8);
    assertTrue(progress.contains("\rmerge        [##############################] 100%"), progress);
  }

  @Test
  void badArgumentsAreUsageErrors() throws Exception {
    Path corpus = corpus();
    assertThrows(Main.UsageException.class, () -> run(false, "--type", "bpe", corpus.toString()));
    assertThrows(
        Main.UsageException.class,
        () -> run(false, "--type", "nope", "--vocab-size", "10", "--out", "x", corpus.toString()));
    assertThrows(
        Main.UsageException.class,
        () -> run(false, "--type", "bpe", "--vocab-size", "ten", "--out", "x", corpus.toString()));
    assertThrows(
        Main.UsageException.class,
        () -> run(false, "--type", "bpe", "--vocab-size", "10", "--out", "x", "missing.txt"));
    assertThrows(
        Main.UsageException.class,
        () -> run(false, "--type", "bpe", "--vocab-size", "10", "--out", "x", "--frobnicate"));
    assertEquals(0, run(false, "--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("--vocab-size N"));
  }
}
