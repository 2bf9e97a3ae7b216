package io.lmserve.tokenizer.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.tokenizer.pretokenizer.WhitespaceSplit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordCounterTest {

  @TempDir Path dir;

  private static final WordSplitter WHITESPACE = new PipelineWords(null, new WhitespaceSplit(), 0);

  @Test
  void linesAreSplitOnNewlineOnly() throws IOException {
    Path file = dir.resolve("corpus.txt");
    Files.writeString(file, "a\rb\u2028c\u0085d\nsecond line\n\nlast", StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();
    TrainingCorpus.ofFiles(List.of(file)).forEachLine(lines::add);
    assertEquals(List.of("a\rb\u2028c\u0085d", "second line", "", "last"), lines);
  }

  @Test
  void countsEveryWordAcrossFilesAndSortsThem() throws IOException {
    Path one = dir.resolve("one.txt");
    Path two = dir.resolve("two.txt");
    Files.writeString(one, "the cat\nthe dog\n");
    Files.writeString(two, "a cat\n");
    WordCounts counts =
        new WordCounter(WHITESPACE, 2, 100)
            .count(TrainingCorpus.ofFiles(List.of(one, two)), TrainingProgress.NONE);
    assertArrayEquals(new String[] {"a", "cat", "dog", "the"}, counts.words());
    assertArrayEquals(new long[] {1, 2, 1, 2}, counts.counts());
    assertEquals(3, counts.lines());
    assertEquals(6, counts.totalWords());
  }

  @Test
  void manyThreadsCountExactlyWhatOneThreadCounts() {
    List<String> lines = TrainingCorpora.firstLines(10_000);
    WordCounts one =
        new WordCounter(WHITESPACE, 1, 1 << 20)
            .count(TrainingCorpus.ofLines(lines.iterator()), TrainingProgress.NONE);
    WordCounts four =
        new WordCounter(WHITESPACE, 4, 1 << 20)
            .count(TrainingCorpus.ofLines(lines.iterator()), TrainingProgress.NONE);
    assertArrayEquals(one.words(), four.words());
    assertArrayEquals(one.counts(), four.counts());
    assertTrue(one.size() > 1000);
  }

  @Test
  void progressEndsAtTheTotal() throws IOException {
    Path file = dir.resolve("corpus.txt");
    Files.writeString(file, "x y\n".repeat(5000));
    long[] last = new long[2];
    new WordCounter(WHITESPACE, 2, 100)
        .count(
            TrainingCorpus.ofFiles(List.of(file)),
            (stage, done, total) -> {
              assertEquals("count words", stage);
              assertTrue(done <= total, done + " > " + total);
              last[0] = done;
              last[1] = total;
            });
    assertEquals(Files.size(file), last[0]);
    assertEquals(Files.size(file), last[1]);
  }

  @Test
  void badInputFailsWithAClearMessage() throws IOException {
    Path bad = dir.resolve("bad.txt");
    Files.write(bad, new byte[] {'o', 'k', '\n', (byte) 0xC3, '(', '\n'});
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new WordCounter(WHITESPACE, 1, 100)
                    .count(TrainingCorpus.ofFiles(List.of(bad)), TrainingProgress.NONE));
    assertTrue(error.getMessage().contains("bad.txt is not valid UTF-8"), error.getMessage());

    var missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrainingCorpus.ofFiles(List.of(dir.resolve("nope.txt"))));
    assertTrue(missing.getMessage().contains("nope.txt"));

    var tooLong =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TrainingCorpus.ofLines(List.of("x".repeat(100)).iterator())
                    .withMaxLineChars(10)
                    .forEachLine(line -> {}));
    assertTrue(tooLong.getMessage().contains("longer than 10"), tooLong.getMessage());

    var tooMany =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new WordCounter(WHITESPACE, 1, 3)
                    .count(
                        TrainingCorpus.ofLines(List.of("a b c d e").iterator()),
                        TrainingProgress.NONE));
    assertTrue(tooMany.getMessage().contains("more than 3 distinct words"), tooMany.getMessage());
  }

  @Test
  void anIteratorCorpusIsReadOnce() {
    TrainingCorpus corpus = TrainingCorpus.ofLines(List.of("a").iterator());
    corpus.forEachLine(line -> {});
    assertThrows(IllegalStateException.class, () -> corpus.forEachLine(line -> {}));
  }
}
