package io.lmserve.bench.reliability;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds {@code streams} concurrent SSE generations for a bounded time (each client starts a new
 * stream when its last one ends) plus tokenize requests at a fixed rate, with a fraction of the
 * streams hung up on after a random number of tokens. Loopback only; every loop ends by the
 * deadline.
 */
final class LoadDriver {

  /**
   * @param streams concurrent streaming clients
   * @param disconnectFraction the share of streams the client abandons mid-way
   * @param maxNewTokens tokens each stream asks for
   * @param duration how long clients keep starting new streams
   * @param tokenizeRate tokenize requests per second beside the streams
   */
  record Options(
      int streams,
      double disconnectFraction,
      int maxNewTokens,
      Duration duration,
      int tokenizeRate,
      long seed) {}

  /** What the clients saw. */
  record Result(Tally tally, long tokens, int streamsRun, double seconds) {
    double tokensPerSecond() {
      return tokens / seconds;
    }
  }

  private LoadDriver() {}

  static Result run(ServiceProcess service, HttpClient client, Options o)
      throws InterruptedException {
    Tally tally = new Tally();
    AtomicLong tokens = new AtomicLong();
    AtomicLong streamsRun = new AtomicLong();
    long start = System.nanoTime();
    long end = start + o.duration().toNanos();
    Duration timeout = o.duration().plusSeconds(60);
    List<Thread> threads = new ArrayList<>();
    SplittableRandom seeds = new SplittableRandom(o.seed());
    for (int c = 0; c < o.streams(); c++) {
      SplittableRandom random = seeds.split();
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (System.nanoTime() < end) {
                      boolean leave = random.nextDouble() < o.disconnectFraction();
                      int hangUpAfter =
                          leave ? 1 + random.nextInt(Math.max(1, o.maxNewTokens() - 1)) : -1;
                      String body =
                          Requests.generation(
                              o.maxNewTokens(),
                              "\"temperature\":0.8,\"seed\":" + random.nextInt(1_000_000));
                      SseCall.Outcome outcome =
                          SseCall.run(
                              client,
                              service.uri("/v1/generate/stream"),
                              body,
                              hangUpAfter,
                              timeout);
                      record(tally, outcome);
                      tokens.addAndGet(outcome.tokens());
                      streamsRun.incrementAndGet();
                      if (outcome.ending() == SseCall.Ending.REFUSED) {
                        pause(200); // the server said to come back later
                      }
                    }
                  }));
    }
    if (o.tokenizeRate() > 0) {
      threads.add(Thread.ofVirtual().start(() -> tokenizeAtRate(service, client, o, end, tally)));
    }
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(tally, tokens.get(), (int) streamsRun.get(), seconds);
  }

  private static void record(Tally tally, SseCall.Outcome outcome) {
    tally.count("stream status " + outcome.status());
    tally.count("stream ending " + outcome.ending());
    if (outcome.status() == 429 && !outcome.retryAfter()) {
      tally.count("stream 429 without Retry-After");
    }
    if (outcome.ttftNanos() >= 0) {
      tally.sample("ttft", outcome.ttftNanos());
    }
    if (outcome.ending() == SseCall.Ending.DONE) {
      tally.sample("stream", outcome.totalNanos());
    }
  }

  private static void tokenizeAtRate(
      ServiceProcess service, HttpClient client, Options o, long end, Tally tally) {
    long interval = 1_000_000_000L / o.tokenizeRate();
    long next = System.nanoTime();
    List<Thread> inFlight = new ArrayList<>();
    int i = 0;
    while (next < end) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        pause(wait / 1_000_000);
      }
      String text = Requests.PROMPT + " number " + (i++);
      inFlight.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    long t0 = System.nanoTime();
                    try {
                      HttpResponse<String> r =
                          client.send(
                              Requests.postJson(
                                  service.uri("/v1/tokenize"),
                                  "{\"text\":\"" + text + "\"}",
                                  Duration.ofSeconds(30)),
                              HttpResponse.BodyHandlers.ofString());
                      tally.count("tokenize status " + r.statusCode());
                      tally.sample("tokenize", System.nanoTime() - t0);
                    } catch (IOException e) {
                      tally.count("tokenize " + e.getClass().getSimpleName());
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
      next += interval;
    }
    for (Thread t : inFlight) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * {@code requests} non-streaming generations sent at once, beyond what the scheduler's batch and
   * queue hold: each must be answered (200, or 429 with {@code Retry-After}), none may time out.
   */
  static Tally burst(ServiceProcess service, HttpClient client, int requests, int maxNewTokens)
      throws InterruptedException {
    Tally tally = new Tally();
    String body = Requests.generation(maxNewTokens, "");
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    long t0 = System.nanoTime();
                    try {
                      HttpResponse<String> r =
                          client.send(
                              Requests.postJson(
                                  service.uri("/v1/generate"), body, Duration.ofSeconds(120)),
                              HttpResponse.BodyHandlers.ofString());
                      tally.count("status " + r.statusCode());
                      if (r.statusCode() == 429
                          && r.headers().firstValue("Retry-After").isEmpty()) {
                        tally.count("429 without Retry-After");
                      }
                      tally.sample(
                          r.statusCode() == 429 ? "refusal" : "answer", System.nanoTime() - t0);
                    } catch (java.net.http.HttpTimeoutException e) {
                      tally.count("timeout");
                    } catch (IOException e) {
                      tally.count("io error " + e.getClass().getSimpleName());
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    return tally;
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
