package io.lmserve.bench;

import io.lmserve.transformer.CausalLm;
import io.lmserve.transformer.LanguageModel;
import io.lmserve.transformer.ModelConfig;
import io.lmserve.transformer.ModelLoader;
import io.lmserve.transformer.Quantization;
import io.lmserve.transformer.safetensors.Checkpoint;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * {@code lmserve bench engine}: prefill, decode and masked-LM throughput of lmserve against PyTorch
 * on the same shapes, in interleaved rounds, beside the machine's measured memory bandwidth and FMA
 * peak, so every figure is also a fraction of what the hardware allows in the same minutes.
 */
final class EngineBench {

  static final String OPTIONS =
      """
      Options:
        --model DIR      an HF model folder (GPT-2 or BERT); repeat for several (required)
        --rounds R       timed rounds per shape and engine (default 3); medians are reported
        --threads N      threads for both engines (default: lmserve's pool, all cores)
        --prefill LIST   GPT-2 prompt lengths (default 32,128,512)
        --batches LIST   GPT-2 decode batch sizes (default 1,8)
        --prompt N       tokens before decoding (default 32)
        --new N          decode steps timed (default 128)
        --bert-len N     BERT sequence length (default 128); batches are 1 and 8
        --no-torch       lmserve and the machine limits only
        --no-int8        skip the GPT-2 int8 rows (decode with --quantize int8 against lmserve F32,
                         and its greedy agreement with F32 over the decode steps)
        --reference DIR  the folder of refmodels.py and membw.c
                         (default ../shared/reference/models beside the checkout)
      PyTorch runs in /usr/bin/python3 (python3-torch); membw.c is compiled with gcc.
      """;

  private EngineBench() {}

  private enum Kind {
    PREFILL,
    DECODE,
    MASKED_LM
  }

  /** A shape both engines run, with the work it does for the achieved figures. */
  private record Shape(
      Kind kind,
      int batch,
      String label,
      String unit,
      double units,
      double flops,
      double bytes,
      ToDoubleFunction<Engine> run) {

    /** Decode shapes: judged against the read bandwidth (bytes), the others the FMA peak. */
    boolean memoryBound() {
      return bytes > 0;
    }

    Shape relabel(String newLabel) {
      return new Shape(kind, batch, newLabel, unit, units, flops, bytes, run);
    }
  }

  private record Result(
      Shape shape,
      String subject,
      String reference,
      double lmserve,
      double torch,
      double ratio,
      double gflops,
      double gbps,
      double share) {}

  record Options(
      List<Path> models,
      int rounds,
      int threads,
      int[] prefill,
      int[] batches,
      int prompt,
      int newTokens,
      int bertLength,
      boolean torch,
      boolean int8,
      Path reference) {

    static Options parse(List<String> args) {
      List<Path> models = new ArrayList<>();
      int rounds = 3;
      int threads = io.lmserve.transformer.nn.WorkerPool.shared().parallelism();
      int[] prefill = {32, 128, 512};
      int[] batches = {1, 8};
      int prompt = 32;
      int newTokens = 128;
      int bertLength = 128;
      boolean torch = true;
      boolean int8 = true;
      Path reference = TokenizerBench.Options.defaultShared().resolve("reference/models");
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        if (Main.isHelp(a)) {
          return null;
        }
        if (a.equals("--no-torch") || a.equals("--no-int8")) {
          torch = torch && !a.equals("--no-torch");
          int8 = int8 && !a.equals("--no-int8");
          continue;
        }
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException("option " + a + " needs a value");
        }
        String v = args.get(++i);
        switch (a) {
          case "--model" -> {
            if (!Files.isDirectory(Path.of(v))) {
              throw new IllegalArgumentException("--model: no folder " + v);
            }
            models.add(Path.of(v));
          }
          case "--rounds" -> rounds = bounded(a, v, 1, 100);
          case "--threads" -> threads = bounded(a, v, 1, 1024);
          case "--prefill" -> prefill = list(a, v, 1024);
          case "--batches" -> batches = list(a, v, 256);
          case "--prompt" -> prompt = bounded(a, v, 1, 1024);
          case "--new" -> newTokens = bounded(a, v, 1, 1024);
          case "--bert-len" -> bertLength = bounded(a, v, 1, 512);
          case "--reference" -> reference = Path.of(v);
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      if (models.isEmpty()) {
        throw new IllegalArgumentException("--model DIR is required");
      }
      return new Options(
          models,
          rounds,
          threads,
          prefill,
          batches,
          prompt,
          newTokens,
          bertLength,
          torch,
          int8,
          reference);
    }

    private static int bounded(String option, String value, int min, int max) {
      int n = Integer.parseInt(value);
      if (n < min || n > max) {
        throw new IllegalArgumentException(option + " must be in [" + min + ", " + max + "]");
      }
      return n;
    }

    private static int[] list(String option, String value, int max) {
      return Arrays.stream(value.split(",")).mapToInt(s -> bounded(option, s, 1, max)).toArray();
    }
  }

  static int run(List<String> args) throws Exception {
    Options o = Options.parse(args);
    if (o == null) {
      System.out.println(OPTIONS);
      return 0;
    }
    if (o.threads() != io.lmserve.transformer.nn.WorkerPool.shared().parallelism()) {
      throw new IllegalArgumentException(
          "--threads differs from lmserve's pool; start the JVM with -Dlmserve.threads="
              + o.threads());
    }
    PrintStream out = System.out;
    String loadStart = LoadAverage.read();
    out.printf(
        "lmserve bench engine: %d rounds, %d threads each, java %s, %s%n",
        o.rounds(), o.threads(), Runtime.version(), System.getProperty("os.arch"));
    out.printf("load average at start: %s%n", loadStart);
    List<Result> results = new ArrayList<>();
    List<MachineLimits.Limits> limits = new ArrayList<>();
    boolean torch = o.torch() && PythonWorker.available();
    if (o.torch() && !torch) {
      out.println("note: no " + PythonWorker.PYTHON + ", PyTorch left out");
    }
    try (MachineLimits machine =
        MachineLimits.compile(o.reference().resolve("membw.c"), o.threads())) {
      for (Path folder : o.models()) {
        try (LanguageModel model = ModelLoader.load(folder);
            LmserveEngine lmserve = new LmserveEngine(model, "lmserve");
            TorchEngine pytorch =
                torch
                    ? new TorchEngine(o.reference(), folder.toAbsolutePath(), o.threads())
                    : null) {
          ModelConfig config = model.config();
          List<Entry> entries = new ArrayList<>();
          for (Shape shape : shapes(config, weightBytesPerStep(folder), o)) {
            entries.add(new Entry(shape, lmserve, pytorch));
          }
          out.printf(
              "%n== %s (%s, %s)%n",
              folder,
              config.modelType().hfName(),
              pytorch == null ? "lmserve only" : pytorch.name());
          LanguageModel quantized = null;
          if (o.int8() && model instanceof CausalLm) {
            quantized = ModelLoader.load(folder, Quantization.INT8);
            LmserveEngine int8 = new LmserveEngine(quantized, "lmserve int8");
            Options decodeOnly =
                new Options(
                    o.models(),
                    o.rounds(),
                    o.threads(),
                    new int[0],
                    o.batches(),
                    o.prompt(),
                    o.newTokens(),
                    o.bertLength(),
                    false,
                    true,
                    o.reference());
            for (Shape shape : shapes(config, int8WeightBytesPerStep(config), decodeOnly)) {
              entries.add(new Entry(shape.relabel(shape.label() + " int8"), int8, lmserve));
            }
            out.println(
                Int8Agreement.measure(
                    (CausalLm) model, (CausalLm) quantized, o.prompt(), o.newTokens()));
          }
          try {
            results.addAll(race(entries, machine, limits, o.rounds(), out));
          } finally {
            if (quantized != null) {
              quantized.close();
            }
          }
        }
      }
    }
    String loadEnd = LoadAverage.read();
    out.println();
    print(out, results, limits);
    out.printf("load average at start: %s; at end: %s%n", loadStart, loadEnd);
    return 0;
  }

  /**
   * Quiet time before each timed run, so that neither engine runs beside what the other left
   * running: PyTorch's workers keep spinning for about 50 ms after a call (0.1 cores over the next
   * 100 ms), as long as a whole GPT-2 prefill of 32 tokens takes; the JVM may still be compiling or
   * collecting.
   */
  private static final long SETTLE_MILLIS = 500;

  /** Seconds of one run of {@code shape} on {@code engine}, after {@link #SETTLE_MILLIS}. */
  private static double timed(Shape shape, Engine engine) {
    try {
      Thread.sleep(SETTLE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return shape.run().applyAsDouble(engine);
  }

  /** Most untimed runs of one shape on one engine before its timed rounds. */
  private static final int MAX_WARM_UP_RUNS = 6;

  /** Runs {@code shape} until a run is no more than 5 % faster than the one before it. */
  private static void warmUp(Shape shape, Engine engine) {
    double last = shape.run().applyAsDouble(engine);
    for (int i = 1; i < MAX_WARM_UP_RUNS; i++) {
      double t = shape.run().applyAsDouble(engine);
      if (t > 0.95 * last) {
        return;
      }
      last = t;
    }
  }

  /** A shape run by lmserve (the subject) and a reference engine (null: none). */
  private record Entry(Shape shape, Engine subject, Engine reference) {}

  /** Rounds over every entry, alternating which engine goes first. */
  private static List<Result> race(
      List<Entry> entries,
      MachineLimits machine,
      List<MachineLimits.Limits> limits,
      int rounds,
      PrintStream log) {
    // Warm-up, untimed: every engine through every shape at full size until it stops getting
    // faster (JIT, page cache, allocator). Small versions of the shapes left the first timed round
    // of the larger ones paying for compilation (BERT batch 1 read 2.7 seq/s in a first round, 4.9
    // in the next), and one full-size run was not enough for BERT batch 8, whose first four calls
    // took 3.8, 1.8, 1.45 and 1.38 s.
    for (Entry e : entries) {
      warmUp(e.shape(), e.subject());
      if (e.reference() != null) {
        warmUp(e.shape(), e.reference());
      }
    }
    int n = entries.size();
    double[][] lm = new double[n][rounds];
    double[][] ref = new double[n][rounds];
    // The limit each timed run is compared with: the FMA peak of its round, or for a memory-bound
    // shape the bandwidth measured right before it (the neighbours' traffic moves it by 1.5x within
    // minutes on a shared machine).
    double[][] limit = new double[n][rounds];
    for (int r = 0; r < rounds; r++) {
      MachineLimits.Limits round = machine == null ? null : machine.measure();
      if (round != null) {
        limits.add(round);
      }
      for (int i = 0; i < n; i++) {
        Entry e = entries.get(i);
        if (round == null) {
          limit[i][r] = Double.NaN;
        } else if (e.shape().memoryBound()) {
          // The round's own measurement was taken right before its first shape.
          MachineLimits.Limits before = i == 0 ? round : machine.measure();
          if (before != round) {
            limits.add(before);
          }
          limit[i][r] = before.readGBps();
        } else {
          limit[i][r] = round.fmaGflops();
        }
        boolean referenceFirst = e.reference() != null && (r + i) % 2 == 1;
        if (referenceFirst) {
          ref[i][r] = timed(e.shape(), e.reference());
        }
        lm[i][r] = timed(e.shape(), e.subject());
        if (e.reference() != null && !referenceFirst) {
          ref[i][r] = timed(e.shape(), e.reference());
        }
      }
      log.printf("  round %d/%d done%n", r + 1, rounds);
    }
    List<Result> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Entry e = entries.get(i);
      Shape s = e.shape();
      double t = median(lm[i]);
      double[] ratio = new double[rounds];
      double[] share = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        ratio[r] = ref[i][r] / lm[i][r];
        double achieved = (s.memoryBound() ? s.bytes() : s.flops()) / lm[i][r] / 1e9;
        share[r] = achieved / limit[i][r];
      }
      boolean none = e.reference() == null;
      out.add(
          new Result(
              s,
              e.subject().name(),
              none ? "-" : e.reference().name(),
              s.units() / t,
              none ? Double.NaN : s.units() / median(ref[i]),
              none ? Double.NaN : median(ratio),
              s.flops() / t / 1e9,
              s.bytes() / t / 1e9,
              median(share)));
    }
    return out;
  }

  /**
   * The shapes of one model: GPT-2 prefill and decode, or BERT masked-LM batches. FLOPs count the
   * matrix products (2 per multiply-add) and attention; bytes the weights read once per decode step
   * plus each sequence's keys and values.
   */
  static List<Shape> shapes(ModelConfig c, long weightBytes, Options o) {
    long e = c.hiddenSize();
    long layers = c.numLayers();
    long perTokenParams = layers * (4 * e * e + 2 * e * c.intermediateSize());
    long head = (long) c.vocabSize() * e;
    List<Shape> shapes = new ArrayList<>();
    switch (c.modelType()) {
      case GPT2 -> {
        for (int t : o.prefill()) {
          double flops =
              2.0 * perTokenParams * t + 2.0 * 2 * layers * e * t * (t + 1) / 2 + 2.0 * head;
          shapes.add(
              new Shape(
                  Kind.PREFILL, 1, "GPT-2 prefill " + t, "tok/s", t, flops, 0, g -> g.prefill(t)));
        }
        for (int b : o.batches()) {
          int prompt = o.prompt();
          int steps = o.newTokens();
          double meanContext = prompt + (steps + 1) / 2.0;
          double kv = 2.0 * layers * e * Float.BYTES * meanContext;
          double flops =
              steps * b * (2.0 * (perTokenParams + head) + 2 * 2 * layers * e * meanContext);
          shapes.add(
              new Shape(
                  Kind.DECODE,
                  b,
                  "GPT-2 decode b" + b + " (" + steps + " after " + prompt + ")",
                  "tok/s",
                  (double) b * steps,
                  flops,
                  steps * (weightBytes + b * kv),
                  g -> g.decode(b, prompt, steps)));
        }
      }
      case BERT -> {
        int t = o.bertLength();
        for (int b : new int[] {1, 8}) {
          double flops =
              b
                  * (2.0 * perTokenParams * t
                      + 2.0 * 2 * layers * e * t * t
                      + 2.0 * t * (e * e + head));
          shapes.add(
              new Shape(
                  Kind.MASKED_LM,
                  b,
                  "BERT MLM len " + t + " b" + b,
                  "seq/s",
                  b,
                  flops,
                  0,
                  g -> g.maskedLm(b, t)));
        }
      }
    }
    return shapes;
  }

  /**
   * Bytes of weights a decode step reads: every stored tensor but the position embeddings (one row
   * per token) and legacy attention-mask buffers; a tied head counts once, as the embedding.
   */
  static long weightBytesPerStep(Path folder) throws java.io.IOException {
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException("no model folder " + folder);
    }
    long bytes = 0;
    try (Checkpoint ck = Checkpoint.open(folder)) {
      for (String name : ck.names()) {
        if (name.endsWith("wpe.weight")
            || name.endsWith("attn.bias")
            || name.endsWith("masked_bias")
            || name.contains("position")) {
          continue;
        }
        bytes += ck.find(name).orElseThrow().data().byteSize();
      }
    }
    return bytes;
  }

  /**
   * Bytes an int8 decode step reads: one byte and 4/32 of a scale per matrix weight (the blocks and
   * the tied head), plus the float vectors (biases, LayerNorms) as stored in F32.
   */
  static long int8WeightBytesPerStep(ModelConfig c) {
    long e = c.hiddenSize();
    long matrices = c.numLayers() * (4 * e * e + 2 * e * c.intermediateSize()) + c.vocabSize() * e;
    long vectors = c.numLayers() * (9 * e + c.intermediateSize()) + 2 * e;
    return matrices + matrices / 32 * 4 + 4 * vectors;
  }

  private static void print(
      PrintStream out, List<Result> results, List<MachineLimits.Limits> limits) {
    double bw =
        limits.isEmpty()
            ? Double.NaN
            : median(limits.stream().mapToDouble(MachineLimits.Limits::readGBps).toArray());
    double fma =
        limits.isEmpty()
            ? Double.NaN
            : median(limits.stream().mapToDouble(MachineLimits.Limits::fmaGflops).toArray());
    String format = "%-36s %-17s %6s %8s %9s %6s %8s %7s %9s%n";
    out.printf(
        format,
        "shape",
        "reference",
        "unit",
        "lmserve",
        "reference",
        "x",
        "GFLOP/s",
        "GB/s",
        "of limit");
    for (Result r : results) {
      boolean memory = r.shape().memoryBound();
      double share = r.share();
      out.printf(
          format,
          r.shape().label(),
          r.reference(),
          r.shape().unit(),
          fixed(r.lmserve()),
          fixed(r.torch()),
          fixed(r.ratio()),
          fixed(r.gflops()),
          memory ? fixed(r.gbps()) : "-",
          Double.isNaN(share)
              ? "-"
              : String.format("%.0f %% %s", 100 * share, memory ? "bw" : "fma"));
    }
    if (!limits.isEmpty()) {
      out.printf(
          "machine (membw.c, %d runs, median): read bandwidth %.1f GB/s (runs %s), FMA peak %.0f"
              + " GFLOP/s (runs %s)%n",
          limits.size(),
          bw,
          Arrays.toString(
              limits.stream().mapToDouble(l -> Math.round(l.readGBps() * 10) / 10.0).toArray()),
          fma,
          Arrays.toString(limits.stream().mapToDouble(l -> Math.round(l.fmaGflops())).toArray()));
    }
    out.println(
        "lmserve and reference: median throughput over rounds; x: median over rounds of"
            + " (reference time / lmserve time) in the same round. GFLOP/s and GB/s: lmserve's."
            + " of limit: median over rounds of decode GB/s / the read bandwidth measured right"
            + " before that run (bw), others GFLOP/s / the FMA peak measured in that round (fma).");
  }

  private static String fixed(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return String.format(v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int m = v.length / 2;
    return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
  }
}
