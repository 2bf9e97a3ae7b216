package io.lmserve.bench;

import io.lmserve.generation.FinishReason;
import io.lmserve.generation.GenerationEvent;
import io.lmserve.generation.GenerationLimits;
import io.lmserve.generation.GenerationParams;
import io.lmserve.generation.GenerationRequest;
import io.lmserve.generation.TokenEvent;
import io.lmserve.generation.model.CausalLmModel;
import io.lmserve.generation.schedule.Scheduler;
import io.lmserve.generation.schedule.SchedulerOptions;
import io.lmserve.transformer.CausalLm;
import io.lmserve.transformer.LanguageModel;
import io.lmserve.transformer.ModelLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code lmserve bench scheduler}: aggregate generated tokens/s through the continuous-batching
 * scheduler when N requests arrive together, against one request alone in the same round.
 */
final class SchedulerBench {

  static final String OPTIONS =
      """
      Options:
        --model DIR     a GPT-2 model folder (required)
        --streams LIST  concurrent requests per measurement (default 1,4,8,16; 1 is the reference)
        --prompt N      random prompt tokens per request (default 32)
        --new N         tokens generated per request, greedy, EOS ignored (default 64)
        --rounds R      rounds, each running every stream count in a rotated order (default 3)
      Time runs from submitting the requests to the last one finishing, prefill included.
      """;

  private SchedulerBench() {}

  static int run(List<String> args) throws Exception {
    Path folder = null;
    int[] streams = {1, 4, 8, 16};
    int prompt = 32;
    int newTokens = 64;
    int rounds = 3;
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
        case "--model" -> folder = Path.of(v);
        case "--streams" ->
            streams = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
        case "--prompt" -> prompt = Integer.parseInt(v);
        case "--new" -> newTokens = Integer.parseInt(v);
        case "--rounds" -> rounds = Integer.parseInt(v);
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (folder == null || !java.nio.file.Files.isDirectory(folder)) {
      throw new IllegalArgumentException(
          folder == null ? "--model DIR is required" : "--model: no folder " + folder);
    }
    if (Arrays.stream(streams).noneMatch(s -> s == 1)) {
      streams =
          java.util.stream.IntStream.concat(
                  java.util.stream.IntStream.of(1), Arrays.stream(streams))
              .toArray();
    }
    int most = Arrays.stream(streams).max().orElseThrow();
    PrintStream out = System.out;
    String loadStart = LoadAverage.read();
    out.printf(
        "lmserve bench scheduler: %s, streams %s, prompt %d, %d new tokens each, %d rounds%n",
        folder, Arrays.toString(streams), prompt, newTokens, rounds);
    out.printf("load average at start: %s%n", loadStart);
    try (LanguageModel loaded = ModelLoader.load(folder)) {
      if (!(loaded instanceof CausalLm lm)) {
        throw new IllegalArgumentException(folder + " is not a causal LM");
      }
      CausalLmModel model = new CausalLmModel(lm);
      GenerationLimits limits = GenerationLimits.DEFAULT;
      try (Scheduler scheduler =
          new Scheduler(model, new SchedulerOptions(most, 4 * most, limits))) {
        SplittableRandom random = new SplittableRandom(1);
        GenerationParams params = GenerationParams.greedy(newTokens).withStopAtEos(false);
        run(scheduler, model, random, params, prompt, most); // warm-up
        double[][] rate = new double[streams.length][rounds];
        for (int r = 0; r < rounds; r++) {
          for (int k = 0; k < streams.length; k++) {
            int i = (r + k) % streams.length;
            rate[i][r] = run(scheduler, model, random, params, prompt, streams[i]);
          }
          out.printf("  round %d/%d done%n", r + 1, rounds);
        }
        int one = 0;
        while (streams[one] != 1) {
          one++;
        }
        out.printf(
            "%n%-8s %14s %16s %16s%n",
            "streams", "tok/s (all)", "tok/s per stream", "x one stream");
        for (int i = 0; i < streams.length; i++) {
          double[] ratio = new double[rounds];
          for (int r = 0; r < rounds; r++) {
            ratio[r] = rate[i][r] / rate[one][r];
          }
          double all = EngineBench.median(rate[i]);
          out.printf(
              "%-8d %14.1f %16.2f %16.2f%n",
              streams[i], all, all / streams[i], EngineBench.median(ratio));
        }
      }
    }
    out.printf("load average at start: %s; at end: %s%n", loadStart, LoadAverage.read());
    out.println(
        "tok/s (all): generated tokens of every request / wall time from submitting them together to"
            + " the last one finishing (prefill included), median over rounds; x one stream: median"
            + " over rounds of (this rate / the one-stream rate of the same round).");
    return 0;
  }

  /** Submits {@code n} requests at once and returns generated tokens per second over all. */
  private static double run(
      Scheduler scheduler,
      CausalLmModel model,
      SplittableRandom random,
      GenerationParams params,
      int prompt,
      int n)
      throws InterruptedException {
    CountDownLatch done = new CountDownLatch(n);
    AtomicLong tokens = new AtomicLong();
    AtomicReference<String> failure = new AtomicReference<>();
    long t0 = System.nanoTime();
    for (int s = 0; s < n; s++) {
      int[] ids = random.ints(prompt, 0, model.vocabSize()).toArray();
      scheduler.submit(
          GenerationRequest.ofIds(ids, params),
          event -> {
            if (event instanceof TokenEvent) {
              tokens.incrementAndGet();
            } else if (event instanceof GenerationEvent.Finished f) {
              if (f.reason() != FinishReason.LENGTH) {
                failure.set(f.reason() + ": " + f.message());
              }
              done.countDown();
            }
          });
    }
    if (!done.await(1, TimeUnit.HOURS)) {
      throw new IllegalStateException("requests did not finish within an hour");
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (failure.get() != null) {
      throw new IllegalStateException("a request ended with " + failure.get());
    }
    if (tokens.get() != (long) n * params.maxNewTokens()) {
      throw new IllegalStateException(
          "generated " + tokens.get() + " tokens, expected " + (long) n * params.maxNewTokens());
    }
    return tokens.get() / seconds;
  }
}
