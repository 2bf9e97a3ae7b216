package io.lmserve.bench.reliability;

import io.lmserve.testkit.RequestFuzzer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;

/**
 * The request fuzzer's hostile cases over real HTTP (Netty's limits and connection handling
 * included): every answer must be a 2xx or a 4xx problem document, within the time-out.
 */
final class BadInputs {

  /** What the cases got; {@code failures} lists the first few unacceptable answers. */
  record Result(int cases, Tally tally, List<String> failures, double seconds) {}

  private BadInputs() {}

  static Result run(
      ServiceProcess service, HttpClient client, int cases, int concurrency, long seed)
      throws InterruptedException {
    Tally tally = new Tally();
    List<String> failures = new ArrayList<>();
    RequestFuzzer fuzzer = new RequestFuzzer();
    SplittableRandom seeds = new SplittableRandom(seed);
    Semaphore slots = new Semaphore(concurrency);
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < cases; i++) {
      long caseSeed = seeds.nextLong();
      slots.acquire();
      Thread t =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      RequestFuzzer.Case c = fuzzer.next(new SplittableRandom(caseSeed));
                      String verdict = verdict(service, client, c);
                      tally.count(verdict.length() == 3 ? verdict : "failed");
                      if (verdict.length() != 3) {
                        synchronized (failures) {
                          if (failures.size() < 10) {
                            failures.add(
                                "case seed " + caseSeed + ": " + verdict + "\n    " + c.describe());
                          }
                        }
                      }
                    } finally {
                      slots.release();
                    }
                  });
      threads.add(t);
      if (threads.size() > 4 * concurrency) {
        threads.removeIf(x -> !x.isAlive());
      }
    }
    for (Thread t : threads) {
      t.join();
    }
    return new Result(cases, tally, failures, (System.nanoTime() - start) / 1e9);
  }

  private static String verdict(ServiceProcess service, HttpClient client, RequestFuzzer.Case c) {
    HttpResponse<byte[]> r;
    try {
      r =
          client.send(
              HttpRequest.newBuilder(service.uri(c.path()))
                  .timeout(Duration.ofSeconds(60))
                  .header("Content-Type", c.contentType())
                  .POST(HttpRequest.BodyPublishers.ofByteArray(c.body()))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      return "no answer within 60 s";
    } catch (IOException e) {
      return "connection failed: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
    int status = r.statusCode();
    String type = r.headers().firstValue("Content-Type").orElse("");
    String body = new String(r.body(), StandardCharsets.UTF_8);
    if (status >= 500 || status < 200 || (status >= 300 && status < 400)) {
      return status + " " + cut(body);
    }
    if (status >= 400 && !type.startsWith("application/problem+json")) {
      return status + " as " + type + ", not problem+json: " + cut(body);
    }
    if (status >= 400 && !body.contains("\"detail\"")) {
      return status + " problem without a detail: " + cut(body);
    }
    return Integer.toString(status);
  }

  private static String cut(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }
}
