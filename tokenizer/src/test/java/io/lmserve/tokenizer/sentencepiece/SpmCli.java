package io.lmserve.tokenizer.sentencepiece;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * SentencePiece's own command-line tools (Debian's {@code sentencepiece} package), run once per
 * batch of lines. Missing tools fail the test under {@code CI=true} (CI installs them) and skip it
 * with a message elsewhere.
 */
public final class SpmCli {

  private static final long TIMEOUT_SECONDS = 120;

  private SpmCli() {}

  /** The path of {@code tool} on the PATH, or the test is failed / skipped as described above. */
  public static Path require(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, tool);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    String message = tool + " not found on PATH: apt-get install -y sentencepiece";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(message);
    }
    Assumptions.abort(message);
    throw new IllegalStateException("unreachable");
  }

  /** Runs the tool with one input line per text and returns its output lines, one per text. */
  public static List<String> run(Path tool, List<String> args, List<String> lines) {
    List<String> result = runRaw(tool, args, lines);
    if (result.size() != lines.size()) {
      throw new AssertionError(
          tool
              + " "
              + args
              + " printed "
              + result.size()
              + " lines for "
              + lines.size()
              + " inputs");
    }
    return result;
  }

  /** Runs the tool with one input line per text and returns all its output lines. */
  public static List<String> runRaw(Path tool, List<String> args, List<String> lines) {
    List<String> command = new ArrayList<>();
    command.add(tool.toString());
    command.addAll(args);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
      CompletableFuture<byte[]> stdout =
          CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
      CompletableFuture<byte[]> stderr =
          CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      try (OutputStream in = process.getOutputStream()) {
        for (String line : lines) {
          in.write(line.getBytes(StandardCharsets.UTF_8));
          in.write('\n');
        }
      }
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(command + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
      String out = new String(stdout.join(), StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new AssertionError(
            command
                + " failed ("
                + process.exitValue()
                + "): "
                + new String(stderr.join(), StandardCharsets.UTF_8));
      }
      List<String> result = new ArrayList<>(Arrays.asList(out.split("\n", -1)));
      result.removeLast(); // after the final newline
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    }
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
