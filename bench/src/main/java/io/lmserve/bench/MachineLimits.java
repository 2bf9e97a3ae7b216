package io.lmserve.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine's limits measured beside the engines: the reference's STREAM-like {@code membw.c}
 * (memory read bandwidth of a float dot product over 2 × 256 MiB, FMA peak with 256-bit vectors),
 * compiled with gcc once per run. A benchmark tool only; nothing native enters the product.
 */
final class MachineLimits implements AutoCloseable {

  /** One measurement: read bandwidth in GB/s and FMA peak in GFLOP/s, both on all threads. */
  record Limits(double readGBps, double fmaGflops) {}

  private static final Pattern READ =
      Pattern.compile("read\\(dot f32, 2 arrays\\)\\s+([0-9.]+) GB/s");
  private static final Pattern FMA =
      Pattern.compile("FMA peak AVX2 \\(256-bit\\)\\s+([0-9.]+) GFLOP/s");

  private final Path dir;
  private final Path binary;
  private final int threads;

  private MachineLimits(Path dir, Path binary, int threads) {
    this.dir = dir;
    this.binary = binary;
    this.threads = threads;
  }

  /**
   * Compiles {@code membw.c}; null (with the reason on stderr) when gcc or the source is missing.
   */
  static MachineLimits compile(Path source, int threads) {
    try {
      if (!Files.isRegularFile(source)) {
        System.err.println("machine limits: no " + source + ", ceilings left out");
        return null;
      }
      Path dir = Files.createTempDirectory("lmserve-bench-membw");
      Path binary = dir.resolve("membw");
      Process gcc =
          new ProcessBuilder(
                  "gcc",
                  "-O3",
                  "-march=native",
                  "-ffast-math",
                  "-fopenmp",
                  "-o",
                  binary.toString(),
                  source.toString())
              .redirectErrorStream(true)
              .start();
      String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (gcc.waitFor() != 0) {
        System.err.println("machine limits: gcc failed, ceilings left out\n" + log);
        return null;
      }
      return new MachineLimits(dir, binary, threads);
    } catch (IOException e) {
      System.err.println("machine limits: " + e.getMessage() + ", ceilings left out");
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** One run of the tool (about two seconds). */
  Limits measure() {
    try {
      ProcessBuilder pb = new ProcessBuilder(binary.toString()).redirectErrorStream(true);
      pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
      pb.environment().put("OMP_PROC_BIND", "spread");
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("membw failed:\n" + out);
      }
      return new Limits(number(READ, out), number(FMA, out));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static double number(Pattern p, String out) {
    Matcher m = p.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("membw printed no " + p + ":\n" + out);
    }
    return Double.parseDouble(m.group(1));
  }

  @Override
  public void close() {
    try {
      Files.deleteIfExists(binary);
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // a leftover temp file is harmless
    }
  }
}
