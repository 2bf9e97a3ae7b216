package io.lmserve.bench.reliability;

import io.lmserve.testkit.TinyModelFolders;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/lmserve bench reliability}: starts the service on loopback and prints, in one run, the
 * load it held (throughput, latency percentiles, time to first token, answers by status), the bad
 * inputs it was sent and how it answered them, the faults it survived, and the leaks after all of
 * it (sequences, KV cache, heap after GC). Exits 1 when any check fails.
 */
public final class ReliabilityBench {

  public static final String OPTIONS =
      """

      Options (defaults in brackets; --quick divides the counts for a smoke run):
        --streams N          concurrent SSE generation streams [200]
        --disconnect F       share of streams the client abandons mid-way [0.2]
        --max-new-tokens N   tokens each stream asks for [32]
        --seconds S          how long the load is held [30]
        --tokenize-rate R    tokenize requests per second beside the streams [50]
        --bad-inputs N       hostile requests sent over HTTP [100000]
        --overload N         generations sent at once to overflow the queue [400]
        --queue N            overrides the service's generation queue-capacity (batch 16 + queue
                             are held; only the overload burst may overflow them) [the shipped
                             config/application.yml value, 256]
        --fault-model NAME   configured model whose folder (models/NAME) is copied, served from
                             the copy, then corrupted and deleted while serving [gpt-kjv]; without
                             that folder the tiny reference models (../shared) are served instead
        --seed N             seed of the bad inputs and the clients [20261123]
        --quick              10 s, 40 streams, 2000 bad inputs, queue 64, 120 at once
      """;

  private ReliabilityBench() {}

  /** Parsed options. */
  private record Options(
      int streams,
      double disconnect,
      int maxNewTokens,
      int seconds,
      int tokenizeRate,
      int badInputs,
      int overload,
      String faultModel,
      int queue,
      long seed) {

    static Options parse(List<String> args) {
      boolean quick = args.contains("--quick");
      int streams = quick ? 40 : 200;
      double disconnect = 0.2;
      int maxNewTokens = 32;
      int seconds = quick ? 10 : 30;
      int tokenizeRate = quick ? 20 : 50;
      int badInputs = quick ? 2_000 : 100_000;
      int overload = quick ? 120 : 400;
      String faultModel = "gpt-kjv";
      long seed = 20261123L;
      int queue = quick ? 64 : 0; // 0: as shipped
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        if (a.equals("--quick")) {
          continue;
        }
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException("option " + a + " needs a value");
        }
        String v = args.get(++i);
        switch (a) {
          case "--streams" -> streams = Integer.parseInt(v);
          case "--disconnect" -> disconnect = Double.parseDouble(v);
          case "--max-new-tokens" -> maxNewTokens = Integer.parseInt(v);
          case "--seconds" -> seconds = Integer.parseInt(v);
          case "--tokenize-rate" -> tokenizeRate = Integer.parseInt(v);
          case "--bad-inputs" -> badInputs = Integer.parseInt(v);
          case "--overload" -> overload = Integer.parseInt(v);
          case "--fault-model" -> faultModel = v;
          case "--seed" -> seed = Long.parseLong(v);
          case "--queue" -> queue = Integer.parseInt(v);
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      if (seconds > 600 || streams > 2_000 || badInputs > 10_000_000 || overload > 5_000) {
        throw new IllegalArgumentException(
            "bounded runs only: at most 600 s, 2000 streams, 10^7 bad inputs, 5000 at once");
      }
      return new Options(
          streams,
          disconnect,
          maxNewTokens,
          seconds,
          tokenizeRate,
          badInputs,
          overload,
          faultModel,
          queue,
          seed);
    }
  }

  public static int run(List<String> args) throws Exception {
    Options o = Options.parse(args);
    PrintStream out = System.out;
    Path root = Path.of(System.getProperty("lmserve.root", ".")).toAbsolutePath();
    List<String> serviceArgs = new ArrayList<>();
    if (o.queue() > 0) {
      serviceArgs.add("--lmserve.generation.queue-capacity=" + o.queue());
    }
    Path faultCopy = copyFaultModel(root, o.faultModel(), serviceArgs);
    if (faultCopy == null) {
      // No default models in this checkout: serve the tiny reference models from a temporary
      // folder, which the model-folder fault then damages.
      Path tiny = Files.createTempDirectory("lmserve-fault-");
      TinyModelFolders.serviceProperties(tiny)
          .forEach((key, value) -> serviceArgs.add("--" + key + "=" + value));
      faultCopy = tiny.resolve(TinyModelFolders.GPT2_NAME);
      out.printf("serving the tiny reference models from %s%n", tiny);
    }
    List<Faults.Check> checks = new ArrayList<>();
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    out.printf("lmserve reliability: loopback only, bounded (%s)%n", o);
    ServiceProcess service = ServiceProcess.start(root, serviceArgs, Duration.ofMinutes(3));
    try {
      out.printf("service pid %d on %s, log %s%n", service.pid(), service.uri("/"), service.log());
      boolean generation = generationServed(service, client);
      if (!generation) {
        out.println(
            "NOTE: /v1/generate/stream is not served by this build: load and faults use"
                + " tokenize only");
      }
      // Warm-up, then the heap baseline every leak is measured against.
      LoadDriver.run(
          service, client, new LoadDriver.Options(4, 0, 4, Duration.ofSeconds(3), 10, 1));
      double heapBefore = service.heapAfterGcWithoutCache();

      out.printf("%n== bad inputs over HTTP%n");
      BadInputs.Result bad = BadInputs.run(service, client, o.badInputs(), 8, o.seed());
      out.printf(
          "%d cases in %.0f s (%.0f/s): answers %s%n",
          bad.cases(), bad.seconds(), bad.cases() / bad.seconds(), bad.tally().counts());
      bad.failures().forEach(f -> out.println("  FAIL " + f));
      checks.add(
          new Faults.Check(
              "bad inputs: every answer 2xx or 4xx problem+json",
              bad.tally().get("failed") == 0,
              bad.tally().get("failed") + " unacceptable of " + bad.cases()));

      out.printf("%n== load%n");
      LoadDriver.Result load =
          LoadDriver.run(
              service,
              client,
              new LoadDriver.Options(
                  generation ? o.streams() : 0,
                  o.disconnect(),
                  o.maxNewTokens(),
                  Duration.ofSeconds(o.seconds()),
                  o.tokenizeRate(),
                  o.seed()));
      Tally t = load.tally();
      out.printf(
          "%d concurrent streams (%.0f%% abandoned at random) + %d tokenize/s for %.0f s%n",
          generation ? o.streams() : 0, o.disconnect() * 100, o.tokenizeRate(), load.seconds());
      out.printf(
          "streams run %d, tokens %d, %.1f tokens/s; stream p50 %.0f ms p99 %.0f ms; TTFT p50 %.0f ms"
              + " p99 %.0f ms%n",
          load.streamsRun(),
          load.tokens(),
          load.tokensPerSecond(),
          t.percentileMillis("stream", 50),
          t.percentileMillis("stream", 99),
          t.percentileMillis("ttft", 50),
          t.percentileMillis("ttft", 99));
      out.printf(
          "tokenize: %d requests, p50 %.1f ms p99 %.1f ms%n",
          t.samples("tokenize"),
          t.percentileMillis("tokenize", 50),
          t.percentileMillis("tokenize", 99));
      out.printf("answers by status/ending: %s%n", t.counts());
      int serverErrors =
          t.sumStartingWith("stream status 5") + t.sumStartingWith("tokenize status 5");
      int broken =
          t.get("stream ending EOF_WITHOUT_DONE")
              + t.get("stream ending IO_ERROR")
              + t.get("stream ending TIMEOUT")
              + t.get("stream ending ERROR_EVENT")
              + t.sumStartingWith("tokenize Http");
      checks.add(
          new Faults.Check(
              "load: zero 5xx, every stream ends with done or by the client",
              serverErrors == 0 && broken == 0 && t.get("stream 429 without Retry-After") == 0,
              serverErrors + " 5xx, " + broken + " streams cut, timed out or failed"));
      String gauges = Faults.awaitDrained(service, Duration.ofSeconds(30));
      double heapAfter = service.heapAfterGcWithoutCache();
      boolean flat = heapAfter < heapBefore * 1.10 + 32e6;
      checks.add(
          new Faults.Check(
              "leaks: sequences and KV cache back to zero, heap after GC flat",
              (Faults.drained(gauges) || !generation) && flat,
              "active sequences/KV bytes "
                  + gauges
                  + "; heap after GC less the encoding cache "
                  + Faults.mb(heapBefore)
                  + " -> "
                  + Faults.mb(heapAfter)
                  + " MB"));

      if (generation) {
        out.printf("%n== overload: %d generations at once%n", o.overload());
        Tally burst = LoadDriver.burst(service, client, o.overload(), 64);
        out.printf(
            "answers %s; answered p99 %.0f ms, refused p99 %.0f ms%n",
            burst.counts(),
            burst.percentileMillis("answer", 99),
            burst.percentileMillis("refusal", 99));
        int other = o.overload() - burst.get("status 200") - burst.get("status 429");
        checks.add(
            new Faults.Check(
                "overload beyond the queue: 429 with Retry-After, never a timeout",
                other == 0
                    && burst.get("status 429") > 0
                    && burst.get("429 without Retry-After") == 0,
                burst.get("status 200")
                    + " answered, "
                    + burst.get("status 429")
                    + " refused with 429, "
                    + other
                    + " other (timeouts, 5xx, errors)"));
        Faults.awaitDrained(service, Duration.ofSeconds(60));

        out.printf("%n== faults%n");
        checks.add(Faults.slowReader(service, client, 96));
        checks.add(Faults.deadlineExpires(service, client, 96));
        if (faultCopy != null) {
          checks.add(Faults.modelFolderDamaged(service, client, faultCopy, o.maxNewTokens()));
        } else {
          out.printf("(no models/%s folder: the model-folder fault is skipped)%n", o.faultModel());
        }
        // The damaged model would fail every generation: a fresh service with intact models
        // takes the SIGTERM check (and one that died is reported above).
        if (faultCopy != null || !service.isAlive()) {
          service.close();
          List<String> fresh = new ArrayList<>();
          if (o.queue() > 0) {
            fresh.add("--lmserve.generation.queue-capacity=" + o.queue());
          }
          TinyModelFolders.serviceProperties(Files.createTempDirectory("lmserve-restart-"))
              .forEach((key, value) -> fresh.add("--" + key + "=" + value));
          service = ServiceProcess.start(root, fresh, Duration.ofMinutes(3));
          LoadDriver.run(
              service, client, new LoadDriver.Options(4, 0, 4, Duration.ofSeconds(3), 10, 1));
        }
        checks.add(
            Faults.sigtermUnderLoad(
                service,
                client,
                Math.min(o.streams(), 40),
                o.maxNewTokens(),
                Duration.ofSeconds(20)));
      }
    } finally {
      service.close();
      deleteTree(faultCopy == null ? null : faultCopy.getParent());
    }

    out.printf("%n== figures%n");
    int failed = 0;
    for (Faults.Check c : checks) {
      out.printf("%-4s %s: %s%n", c.passed() ? "ok" : "FAIL", c.name(), c.detail());
      failed += c.passed() ? 0 : 1;
    }
    out.printf("reliability: %d passed, %d failed%n", checks.size() - failed, failed);
    return failed == 0 ? 0 : 1;
  }

  private static boolean generationServed(ServiceProcess service, HttpClient client)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        client.send(
            Requests.postJson(
                service.uri("/v1/generate"), Requests.generation(1, ""), Duration.ofSeconds(60)),
            HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200;
  }

  /** Copies models/NAME to a temporary folder the service is told to load NAME from. */
  private static Path copyFaultModel(Path root, String name, List<String> serviceArgs)
      throws IOException {
    Path source = root.resolve("models").resolve(name);
    if (!Files.isDirectory(source)) {
      return null;
    }
    Path copy = Files.createTempDirectory("lmserve-fault-").resolve(name);
    Files.createDirectories(copy);
    try (var files = Files.list(source)) {
      for (Path f : files.toList()) {
        if (Files.isRegularFile(f)) {
          Files.copy(f, copy.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    serviceArgs.add("--lmserve.models." + name + ".path=" + copy);
    return copy;
  }

  private static void deleteTree(Path folder) throws IOException {
    if (folder == null || !Files.exists(folder)) {
      return;
    }
    try (var paths = Files.walk(folder)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
