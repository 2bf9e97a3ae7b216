package io.lmserve.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.lmserve.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code lmserve bench tokenizers}: suites of contenders over the first N MB of the corpus. */
final class TokenizerBench {

  static final String OPTIONS =
      """
      Options:
        --mb N          encode the first N MB of the corpus (default 1; the whole file is 13.7)
        --rounds R      timed rounds per contender (default 5); the median is reported
        --warmup S      seconds of untimed passes per contender first (default 2)
        --suites LIST   comma-separated, of gpt2,gpt2-batch,bert,spm-unigram,spm-bpe (default all)
        --batch N       texts per batch call in the batch suite (default 1024)
        --corpus FILE   one text per line (default ../shared/fixtures/tokenizers/corpus/main.txt)
        --shared DIR    the reference data folder (default ../shared beside the checkout)
      No special tokens are added by any contender. Ids are compared with lmserve's on a sample of
      1000 texts before timing; the mismatch count is printed per contender.
      """;

  static final List<String> ALL_SUITES =
      List.of("gpt2", "gpt2-batch", "bert", "spm-unigram", "spm-bpe");

  private TokenizerBench() {}

  static int run(List<String> args) throws Exception {
    Options o = Options.parse(args);
    if (o == null) {
      System.out.println(OPTIONS);
      return 0;
    }
    PrintStream out = System.out;
    configureDjl();
    Path fixtures = o.shared().resolve("fixtures/tokenizers");
    Path corpusFile = o.corpus() != null ? o.corpus() : fixtures.resolve("corpus/main.txt");
    String loadStart = LoadAverage.read();
    Corpus corpus = Corpus.read(corpusFile, (long) (o.mb() * 1_000_000));
    int cores = Runtime.getRuntime().availableProcessors();
    out.printf(
        "lmserve bench tokenizers: %s, %d texts, %.2f MB; %d rounds, %d cores, java %s%n",
        corpusFile,
        corpus.texts().size(),
        corpus.bytes() / 1e6,
        o.rounds(),
        cores,
        Runtime.version());
    out.printf("load average at start: %s%n", loadStart);

    Race race = new Race(corpus, o.rounds(), o.warmupSeconds(), 1000, out);
    List<Race.Row> rows = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Path hf = fixtures.resolve("hf");
    Path spm = fixtures.resolve("spm");
    for (String suite : o.suites()) {
      List<Contender> contenders = new ArrayList<>();
      try {
        switch (suite) {
          case "gpt2" -> {
            Tokenizer lm = lmserve(hf.resolve("gpt2/tokenizer.json"));
            HuggingFaceTokenizer djl = Djl.load(hf.resolve("gpt2/tokenizer.json"));
            contenders.add(Lmserve.full(lm, corpus));
            contenders.add(Djl.full(djl, corpus));
            rows.addAll(race.run("GPT-2, full encodings, single thread", contenders));
            List<Contender> idsOnly =
                List.of(Lmserve.ids(lm, corpus), Jtokkit.gpt2(corpus), Djl.ids(djl, corpus));
            contenders.addAll(idsOnly);
            rows.addAll(race.run("GPT-2, ids only, single thread", idsOnly));
            djl.close();
          }
          case "gpt2-batch" -> {
            Tokenizer lm = lmserve(hf.resolve("gpt2/tokenizer.json"));
            HuggingFaceTokenizer djl = Djl.load(hf.resolve("gpt2/tokenizer.json"));
            contenders.add(Lmserve.batch(lm, corpus, o.batch()));
            contenders.add(Djl.batch(djl, corpus, o.batch()));
            rows.addAll(
                race.run(
                    "GPT-2, batches of " + o.batch() + " texts on " + cores + " cores",
                    contenders));
            djl.close();
          }
          case "bert" -> {
            Path json = hf.resolve("bert-base-uncased/tokenizer.json");
            Tokenizer lm = lmserve(json);
            HuggingFaceTokenizer djl = Djl.load(json);
            contenders.add(Lmserve.full(lm, corpus));
            contenders.add(Djl.full(djl, corpus));
            rows.addAll(race.run("BERT bert-base-uncased, single thread", contenders));
            djl.close();
          }
          case "spm-unigram", "spm-bpe" -> {
            String name = suite.equals("spm-unigram") ? "unigram8k" : "bpe8k";
            Path model = spm.resolve(name + ".model");
            Tokenizer lm = lmserve(model);
            HuggingFaceTokenizer djl = Djl.load(hf.resolve("spm-" + name + "/tokenizer.json"));
            // sentencepiece returns ids alone, DJL full encodings: each is raced against the
            // lmserve call doing the same work.
            if (SpmPython.available()) {
              List<Contender> idsOnly =
                  List.of(Lmserve.ids(lm, corpus), SpmPython.single(model, corpus));
              contenders.addAll(idsOnly);
              rows.addAll(
                  race.run("SentencePiece " + name + ".model, ids only, single thread", idsOnly));
            } else {
              notes.add(suite + ": no " + SpmPython.PYTHON + ", sentencepiece left out");
            }
            List<Contender> full = List.of(Lmserve.full(lm, corpus), Djl.full(djl, corpus));
            contenders.addAll(full);
            rows.addAll(
                race.run(
                    "SentencePiece "
                        + name
                        + ", full encodings (DJL on its tokenizer.json), single thread",
                    full));
            djl.close();
          }
          default -> throw new IllegalStateException(suite);
        }
      } catch (LmserveCannotLoad e) {
        notes.add(suite + ": skipped, " + e.getMessage());
        out.printf("%n== %s: skipped, %s%n", suite, e.getMessage());
      } finally {
        for (Contender c : contenders) {
          c.close();
        }
      }
    }
    String loadEnd = LoadAverage.read();
    out.println();
    Table.print(out, rows);
    out.printf("load average at start: %s; at end: %s (%d cores)%n", loadStart, loadEnd, cores);
    out.println(
        "MB/s: UTF-8 bytes of the texts / median wall time of a pass; MB/cpu-s: / median CPU time"
            + " (the calling thread; for batches and for sentencepiece the whole process)."
            + " lmserve x: median over rounds of (this contender's time / lmserve's time in the same"
            + " round). sentencepiece is timed inside its python process around the encode loop"
            + " only: start-up, model loading and the pipe are excluded.");
    for (String n : notes) {
      out.println("note: " + n);
    }
    return 0;
  }

  /** Loads an lmserve tokenizer; a format this build cannot read skips the suite. */
  private static Tokenizer lmserve(Path file) {
    try {
      return Tokenizer.load(file);
    } catch (RuntimeException e) {
      throw new LmserveCannotLoad("lmserve cannot load " + file + ": " + e.getMessage());
    }
  }

  private static final class LmserveCannotLoad extends RuntimeException {
    LmserveCannotLoad(String message) {
      super(message);
    }
  }

  /** DJL extracts its native library to a cache folder; never let it reach for the network. */
  private static void configureDjl() throws IOException {
    if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
      Path cache = Path.of(System.getProperty("java.io.tmpdir"), "lmserve-bench-djl");
      Files.createDirectories(cache);
      System.setProperty("DJL_CACHE_DIR", cache.toString());
    }
    System.setProperty("offline", "true");
  }

  record Options(
      double mb,
      int rounds,
      double warmupSeconds,
      List<String> suites,
      int batch,
      Path corpus,
      Path shared) {

    /** The options, or null when help was asked for. */
    static Options parse(List<String> args) {
      double mb = 1;
      int rounds = 5;
      double warmup = 2;
      List<String> suites = ALL_SUITES;
      int batch = 1024;
      Path corpus = null;
      Path shared = defaultShared();
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        if (Main.isHelp(a)) {
          return null;
        }
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException("option " + a + " needs a value");
        }
        String v = args.get(++i);
        switch (a) {
          case "--mb" -> mb = positive(a, Double.parseDouble(v), 1000);
          case "--rounds" -> rounds = (int) positive(a, Integer.parseInt(v), 1000);
          case "--warmup" -> warmup = Double.parseDouble(v);
          case "--batch" -> batch = (int) positive(a, Integer.parseInt(v), 1 << 20);
          case "--corpus" -> corpus = Path.of(v);
          case "--shared" -> shared = Path.of(v);
          case "--suites" -> {
            suites = List.of(v.split(","));
            for (String s : suites) {
              if (!ALL_SUITES.contains(s)) {
                throw new IllegalArgumentException(
                    "unknown suite '" + s + "', expected some of " + ALL_SUITES);
              }
            }
          }
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      if (warmup < 0 || warmup > 600) {
        throw new IllegalArgumentException("--warmup must be in [0, 600] seconds");
      }
      return new Options(mb, rounds, warmup, suites, batch, corpus, shared);
    }

    private static double positive(String option, double value, double max) {
      if (!(value > 0 && value <= max)) {
        throw new IllegalArgumentException(option + " must be in (0, " + (long) max + "]");
      }
      return value;
    }

    static Path defaultShared() {
      String root = System.getProperty("lmserve.root");
      Path base = Path.of(root != null ? root : "").toAbsolutePath().normalize();
      return base.resolveSibling("shared");
    }
  }
}
