package io.lmserve.tokenizer.training;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The text a trainer learns from, read one line at a time so the corpus is never held in memory.
 *
 * <p>Lines are split on {@code \n} only: CR, U+0085 and U+2028 stay inside a line, as everywhere
 * else in lmserve. Files are read as strict UTF-8; a malformed file fails with its name.
 */
public final class TrainingCorpus {

  /** Longest line accepted, in UTF-16 units: a guard against a binary file read as text. */
  public static final int DEFAULT_MAX_LINE_CHARS = 1 << 22;

  private final List<Path> files;
  private final Iterator<String> lines;
  private final int maxLineChars;
  private boolean consumed;

  private TrainingCorpus(List<Path> files, Iterator<String> lines, int maxLineChars) {
    this.files = files;
    this.lines = lines;
    this.maxLineChars = maxLineChars;
  }

  /** The lines of these UTF-8 files, in order. The files may be read more than once. */
  public static TrainingCorpus ofFiles(List<Path> files) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no training files given");
    }
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("training file not found: " + file);
      }
    }
    return new TrainingCorpus(List.copyOf(files), null, DEFAULT_MAX_LINE_CHARS);
  }

  /** Lines from an iterator, which can be read once only (each element is one line). */
  public static TrainingCorpus ofLines(Iterator<String> lines) {
    return new TrainingCorpus(null, Objects.requireNonNull(lines, "lines"), DEFAULT_MAX_LINE_CHARS);
  }

  /** The same corpus with another limit on the length of one line. */
  public TrainingCorpus withMaxLineChars(int maxLineChars) {
    if (maxLineChars < 1) {
      throw new IllegalArgumentException("maxLineChars must be positive: " + maxLineChars);
    }
    return new TrainingCorpus(files, lines, maxLineChars);
  }

  /** Total size of the input files in bytes, or -1 for an iterator (used for progress). */
  public long sizeInBytes() {
    if (files == null) {
      return -1;
    }
    long total = 0;
    for (Path file : files) {
      try {
        total += Files.size(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    return total;
  }

  /** Calls {@code sink} with every line, in order, on the calling thread. */
  public void forEachLine(Consumer<String> sink) {
    if (files == null) {
      synchronized (this) {
        if (consumed) {
          throw new IllegalStateException("an iterator corpus can be read only once");
        }
        consumed = true;
      }
      while (lines.hasNext()) {
        String line = Objects.requireNonNull(lines.next(), "null line in the corpus");
        checkLength(line.length(), "line");
        sink.accept(line);
      }
      return;
    }
    for (Path file : files) {
      readFile(file, sink);
    }
  }

  private void readFile(Path file, Consumer<String> sink) {
    var decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    long lineNumber = 0;
    try (Reader reader = new InputStreamReader(Files.newInputStream(file), decoder)) {
      char[] buffer = new char[1 << 16];
      StringBuilder line = new StringBuilder();
      int read;
      while ((read = reader.read(buffer)) > 0) {
        int start = 0;
        for (int i = 0; i < read; i++) {
          if (buffer[i] == '\n') {
            line.append(buffer, start, i - start);
            checkLength(line.length(), file + " line " + (lineNumber + 1));
            sink.accept(line.toString());
            line.setLength(0);
            lineNumber++;
            start = i + 1;
          }
        }
        line.append(buffer, start, read - start);
        checkLength(line.length(), file + " line " + (lineNumber + 1));
      }
      if (!line.isEmpty()) {
        sink.accept(line.toString());
      }
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          file + " is not valid UTF-8 (near line " + (lineNumber + 1) + ")", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private void checkLength(int length, String where) {
    if (length > maxLineChars) {
      throw new IllegalArgumentException(
          where + " is longer than " + maxLineChars + " characters (raise maxLineChars)");
    }
  }
}
