package io.lmserve.bench;

import io.lmserve.tokenizer.EncodeOptions;
import io.lmserve.tokenizer.Tokenizer;
import io.lmserve.tokenizer.training.TokenizerTrainer;
import io.lmserve.tokenizer.training.TrainedTokenizer;
import io.lmserve.tokenizer.training.TrainerType;
import io.lmserve.tokenizer.training.TrainingCorpus;
import io.lmserve.tokenizer.training.TrainingOptions;
import io.lmserve.tokenizer.training.TrainingProgress;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code lmserve bench training}: lmserve's Unigram and SentencePiece BPE trainers against {@code
 * spm_train} (Debian {@code sentencepiece}) on the same corpus with the shared models' settings, in
 * one run: time (wall and CPU), the share of spm's pieces lmserve also learns, and tokens per byte
 * of the held-out text against spm_encode's with spm's model.
 */
final class TrainingBench {

  static final String OPTIONS =
      """
      Options:
        --vocab N       vocabulary size (default 8000, as the shared spm models)
        --threads N     training threads for both (default 2)
        --types LIST    comma-separated, of unigram,spm-bpe (default both)
        --shared DIR    the reference data folder (default ../shared beside the checkout)
      Corpus: fixtures/tokenizers/corpus/spm_train.txt; held-out text: spm_heldout.txt. Both
      trainers use character coverage 0.9995 and byte fallback. spm_train's CPU time is its
      process's user + system time.
      """;

  private TrainingBench() {}

  record Result(double wallSeconds, double cpuSeconds) {}

  static int run(List<String> args) throws Exception {
    int vocab = 8000;
    int threads = 2;
    List<String> types = List.of("unigram", "spm-bpe");
    Path shared = TokenizerBench.Options.defaultShared();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (Main.isHelp(a)) {
        System.out.println(OPTIONS);
        return 0;
      }
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException("option " + a + " needs a value");
      }
      String v = args.get(++i);
      switch (a) {
        case "--vocab" -> vocab = Integer.parseInt(v);
        case "--threads" -> threads = Integer.parseInt(v);
        case "--types" -> types = List.of(v.split(","));
        case "--shared" -> shared = Path.of(v);
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    PrintStream out = System.out;
    Path corpus = shared.resolve("fixtures/tokenizers/corpus/spm_train.txt");
    List<String> heldout = lines(shared.resolve("fixtures/tokenizers/corpus/spm_heldout.txt"));
    long heldoutBytes =
        heldout.stream().mapToLong(l -> l.getBytes(StandardCharsets.UTF_8).length).sum();
    Path spmTrain = Path.of("/usr/bin/spm_train");
    Path spmEncode = Path.of("/usr/bin/spm_encode");
    boolean spm = Files.isExecutable(spmTrain) && Files.isExecutable(spmEncode);
    String loadStart = LoadAverage.read();
    out.printf(
        "lmserve bench training: %s (%.1f MB), vocab %d, %d threads, java %s%n",
        corpus, Files.size(corpus) / 1e6, vocab, threads, Runtime.version());
    out.printf("load average at start: %s%n", loadStart);
    if (!spm) {
      out.println("note: no /usr/bin/spm_train (apt-get install sentencepiece): lmserve alone");
    }
    Path work = Files.createTempDirectory("lmserve-bench-training");
    List<String> rows = new ArrayList<>();
    for (String name : types) {
      TrainerType type =
          switch (name) {
            case "unigram" -> TrainerType.UNIGRAM;
            case "spm-bpe" -> TrainerType.SENTENCEPIECE_BPE;
            default -> throw new IllegalArgumentException("unknown type " + name);
          };
      String spmType = type == TrainerType.UNIGRAM ? "unigram" : "bpe";
      out.printf("%n== %s: training with lmserve...%n", name);
      TrainingOptions options =
          TrainingOptions.builder(type, vocab).byteFallback(true).threads(threads).build();
      long cpu0 = processCpuNanos();
      long t0 = System.nanoTime();
      TrainedTokenizer trained =
          TokenizerTrainer.train(
              TrainingCorpus.ofFiles(List.of(corpus)), options, TrainingProgress.NONE);
      Result ours = new Result((System.nanoTime() - t0) / 1e9, (processCpuNanos() - cpu0) / 1e9);
      Tokenizer tokenizer = trained.asTokenizer().orElseThrow();
      EncodeOptions plain = EncodeOptions.defaults().withAddSpecialTokens(false);
      long ourTokens = 0;
      for (String line : heldout) {
        ourTokens += tokenizer.encodeIds(line, plain).length;
      }
      String row =
          String.format(
              "%-8s lmserve %6.1f s wall %6.1f cpu-s, %.5f tokens/byte",
              name, ours.wallSeconds(), ours.cpuSeconds(), ourTokens / (double) heldoutBytes);
      if (spm) {
        out.printf("== %s: training with spm_train...%n", name);
        Path prefix = work.resolve(spmType);
        Result theirs =
            timedProcess(
                List.of(
                    spmTrain.toString(),
                    "--input=" + corpus,
                    "--model_prefix=" + prefix,
                    "--model_type=" + spmType,
                    "--vocab_size=" + vocab,
                    "--character_coverage=0.9995",
                    "--byte_fallback=true",
                    "--num_threads=" + threads,
                    "--minloglevel=2"),
                work.resolve(spmType + ".log"));
        Set<String> mine = new HashSet<>(trained.vocabulary());
        List<String> pieces =
            Files.readAllLines(work.resolve(spmType + ".vocab")).stream()
                .map(l -> l.substring(0, l.indexOf('\t')))
                .toList();
        double overlap = pieces.stream().filter(mine::contains).count() / (double) pieces.size();
        long spmTokens = spmTokens(spmEncode, work.resolve(spmType + ".model"), heldout, work);
        row +=
            String.format(
                "; spm_train %6.1f s wall %6.1f cpu-s (lmserve x %.2f wall, %.2f cpu);"
                    + " %.2f %% of spm's pieces shared; tokens/byte %+.2f %% vs spm",
                theirs.wallSeconds(),
                theirs.cpuSeconds(),
                theirs.wallSeconds() / ours.wallSeconds(),
                theirs.cpuSeconds() / ours.cpuSeconds(),
                100 * overlap,
                100 * (ourTokens / (double) spmTokens - 1));
      }
      rows.add(row);
    }
    deleteTree(work);
    out.println();
    rows.forEach(out::println);
    out.printf("load average at start: %s; at end: %s%n", loadStart, LoadAverage.read());
    out.println(
        "lmserve x: spm_train's time / lmserve's (above 1: lmserve is faster). CPU: this"
            + " process's CPU time during lmserve's training; spm_train's user + system time.");
    return 0;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : 0;
  }

  /** Runs a command under bash's {@code time}, which reports the child's user and system time. */
  private static Result timedProcess(List<String> command, Path log)
      throws IOException, InterruptedException {
    Path times = log.resolveSibling(log.getFileName() + ".times");
    StringBuilder quoted = new StringBuilder();
    for (String c : command) {
      quoted.append('\'').append(c.replace("'", "'\\''")).append("' ");
    }
    String script =
        "TIMEFORMAT='%R %U %S'; { time " + quoted + "> '" + log + "' 2>&1 ; } 2> '" + times + "'";
    Process p = new ProcessBuilder("bash", "-c", script).inheritIO().start();
    if (!p.waitFor(2, TimeUnit.HOURS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(command.getFirst() + " failed; see " + log);
    }
    String[] t = Files.readString(times).trim().split("\\s+");
    return new Result(
        Double.parseDouble(t[0]), Double.parseDouble(t[1]) + Double.parseDouble(t[2]));
  }

  private static long spmTokens(Path spmEncode, Path model, List<String> texts, Path work)
      throws IOException, InterruptedException {
    Path input = work.resolve("heldout.txt");
    Files.write(input, texts);
    Path output = work.resolve("heldout.ids");
    Process p =
        new ProcessBuilder(spmEncode.toString(), "--model=" + model, "--output_format=id")
            .redirectInput(input.toFile())
            .redirectOutput(output.toFile())
            .start();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("spm_encode failed on " + model);
    }
    long tokens = 0;
    for (String line : Files.readAllLines(output)) {
      tokens += line.isBlank() ? 0 : line.trim().split(" ").length;
    }
    return tokens;
  }

  /** Lines split on \n only, a final empty line dropped. */
  private static List<String> lines(Path file) throws IOException {
    String text = Files.readString(file);
    List<String> lines = List.of(text.split("\n", -1));
    return text.endsWith("\n") ? lines.subList(0, lines.size() - 1) : lines;
  }
}
